/**
 * One listener's page: status panel (SPEC §14), secrets (add, rotate), the
 * sample and its derived structure, test-request, and debug sessions with their
 * log, which the page's script refreshes from `/debug/entries` while a session
 * runs. Results of derive and test-request are shown on the page that answers
 * the form; changes redirect back (so a reload never repeats them).
 */
import crypto from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { isAppError } from '../../errors';
import { MOUNT, text, type ConsoleKit } from '../kit';
import { verifierForm } from '../verifier-fields';

const LOG_LIST_LIMIT = 50;

type Secret = string | { value: string; expiresAt?: string };

interface DebugEntry {
  id: string;
  verification: { ok: boolean; reason: string | null } | null;
  response: { status: number };
  [field: string]: unknown;
}

function entryView(entry: DebugEntry) {
  const status = entry.response.status;
  return { ...entry, accepted: status >= 200 && status < 300, verified: entry.verification?.ok === true, refused: entry.verification?.ok === false };
}

function secretField(verification: Record<string, unknown>): string | undefined {
  return verifierForm(String(verification.type))?.fields.find((field) => field.kind === 'secrets')?.property;
}

async function optional<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (isAppError(error) && error.status === 404) return null;
    throw error;
  }
}

export function addListenerDetailPages(router: Router, kit: ConsoleKit): void {
  const path = (req: Request) => ({ params: { id: String(req.params.id) } });

  async function renderDetail(req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
    const id = String(req.params.id);
    const listener = await kit.api(req, 'get', '/listeners/:id', path(req));
    const [state, sample, log, history] = await Promise.all([
      kit.api(req, 'get', '/listeners/:id/status', path(req)),
      optional(kit.api(req, 'get', '/listeners/:id/sample', path(req))),
      kit.api(req, 'get', '/listeners/:id/debug/logs', { ...path(req), query: { limit: String(LOG_LIST_LIMIT) } }),
      kit.api(req, 'get', '/listeners/:id/requests', { ...path(req), query: { limit: '20' } }),
    ]);
    const field = secretField(listener.verification);
    const secrets = field ? ((listener.verification[field] as Secret[] | undefined) ?? []).map((s) => (typeof s === 'string' ? { value: s } : s)) : [];
    const entries = (log.items as DebugEntry[]).map(entryView);
    kit.render(req, res, 'listener', {
      title: listener.name,
      listener,
      status: state,
      byStatus: Object.entries(state.lastHour.byStatus).map(([code, count]) => ({ code, count })),
      sample,
      requests: history.items.map((item: { status: number }) => ({ ...item, accepted: item.status >= 200 && item.status < 300 })),
      secretField: field,
      secrets,
      debug: log.debug,
      entries,
      newest: entries[0]?.id ?? '',
      pollUrl: `${MOUNT}/listeners/${id}/debug/entries`,
      can: {
        edit: kit.can(req, 'patch', '/listeners/:id'),
        delete: kit.can(req, 'delete', '/listeners/:id'),
        debug: kit.can(req, 'post', '/listeners/:id/debug'),
        testRequest: kit.can(req, 'post', '/listeners/:id/test-request'),
        derive: kit.can(req, 'post', '/listeners/:id/structure'),
        // Applying a schema changes the listener: the same rule as editing it.
        apply: kit.can(req, 'patch', '/listeners/:id'),
      },
      ...extra,
    }, status);
  }

  router.get('/listeners/:id', (req, res) => renderDetail(req, res));

  router.post('/listeners/:id/debug/start', async (req, res) => {
    const minutes = Number(text(req.body, 'minutes') || '15');
    const reply = await kit.api(req, 'post', '/listeners/:id/debug', { ...path(req), body: { minutes } });
    kit.flash(req, 'ok', `Debug session on until ${String(reply.debugUntil).replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}.`);
    kit.redirect(res, `/listeners/${req.params.id}#debug`);
  });

  router.post('/listeners/:id/debug/stop', async (req, res) => {
    await kit.api(req, 'delete', '/listeners/:id/debug', path(req));
    kit.flash(req, 'ok', 'Debug session stopped.');
    kit.redirect(res, `/listeners/${req.params.id}#debug`);
  });

  // Entries newer than `since` as rendered rows, for the page's script.
  router.get('/listeners/:id/debug/entries', async (req, res) => {
    const since = typeof req.query.since === 'string' ? req.query.since : '';
    const log = await kit.api(req, 'get', '/listeners/:id/debug/logs', { ...path(req), query: { limit: String(LOG_LIST_LIMIT) } });
    // Entry ids sort by capture time, so "newer" is a string comparison.
    const fresh = (log.items as DebugEntry[]).filter((entry) => entry.id > since).map(entryView);
    const html = fresh.map((entry) => kit.partial('debug-entry', entry)).join('');
    res.json({ html, newest: fresh[0]?.id ?? since, active: log.debug.active, secondsLeft: log.debug.secondsLeft });
  });

  router.post('/listeners/:id/test-request', async (req, res) => {
    const body = text(req.body, 'body');
    const contentType = text(req.body, 'contentType');
    const input: Record<string, unknown> = {};
    if (body !== '') input.body = body;
    if (contentType !== '') input.contentType = contentType;
    try {
      const result = await kit.api(req, 'post', '/listeners/:id/test-request', { ...path(req), body: input });
      await renderDetail(req, res, { testResult: result, testValues: { body, contentType } });
    } catch (error) {
      if (!isAppError(error) || error.status >= 500 || error.status === 403 || error.status === 404) throw error;
      await renderDetail(req, res, { testError: error.detail ?? error.title, testValues: { body, contentType } }, error.status);
    }
  });

  router.post('/listeners/:id/structure', async (req, res) => {
    const apply = text(req.body, 'apply') === 'true';
    try {
      const result = await kit.api(req, 'post', '/listeners/:id/structure', { ...path(req), body: { apply } });
      if (apply) {
        kit.flash(req, 'ok', 'The derived schema is now the listener’s validation.schema.');
        kit.redirect(res, `/listeners/${req.params.id}#sample`);
        return;
      }
      await renderDetail(req, res, { structure: result.schema });
    } catch (error) {
      if (!isAppError(error) || error.status !== 409) throw error;
      await renderDetail(req, res, { structureError: error.detail ?? error.title }, 409);
    }
  });

  // Add a secret (typed, or generated and shown once); with an expiry, the current ones are rotated out.
  router.post('/listeners/:id/secrets', async (req, res) => {
    kit.require(req, 'patch', '/listeners/:id');
    const id = String(req.params.id);
    const listener = await kit.api(req, 'get', '/listeners/:id', path(req));
    const field = secretField(listener.verification);
    if (!field) {
      kit.flash(req, 'error', `A ${listener.verification.type} listener has no secrets.`);
      return kit.redirect(res, `/listeners/${id}#secrets`);
    }
    const typed = text(req.body, 'value');
    const value = typed || crypto.randomBytes(24).toString('base64url');
    const minutes = text(req.body, 'expireOldInMinutes');
    const expiresAt = minutes ? new Date(kit.clock.now() + Number(minutes) * 60_000).toISOString() : undefined;
    const current = (listener.verification[field] as Secret[] | undefined) ?? [];
    const kept = current.map((secret) => {
      const masked = typeof secret === 'string' ? { value: secret } : secret;
      return expiresAt && !masked.expiresAt ? { ...masked, expiresAt } : masked;
    });
    try {
      await kit.api(req, 'patch', '/listeners/:id', { params: { id }, body: { verification: { type: listener.verification.type, [field]: [value, ...kept] } } });
    } catch (error) {
      if (!isAppError(error) || error.status !== 400) throw error;
      kit.flash(req, 'error', `The secret was not saved: ${error.detail ?? error.title}`);
      return kit.redirect(res, `/listeners/${id}#secrets`);
    }
    const rotated = expiresAt ? ` The previous secrets stop working at ${expiresAt}.` : '';
    kit.flash(req, 'ok', typed ? `Secret added.${rotated}` : `Secret generated.${rotated} Here it is, shown this once:`, typed ? undefined : value);
    kit.redirect(res, `/listeners/${id}#secrets`);
  });
}
