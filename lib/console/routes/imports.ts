/**
 * Import pages: list, create, edit, delete. Private header values never reach
 * the browser: the API already masks them, the form shows an empty box for
 * them, and an empty box on save sends the masked value back, which the import
 * service reads as "keep the stored value".
 */
import type { Request, Response, Router } from 'express';
import { addDeletePages } from '../delete-pages';
import { formErrors, text, type ConsoleKit, type FormErrors } from '../kit';
import { headersFromForm, postedRows, rowsAfterError, storedRows, withBlankRows, type HeaderRow, type StoredHeader } from '../header-rows';

const FIELDS = ['name', 'url', 'connectionId', 'path', 'method', 'bodyTemplate', 'mode', 'timeoutSeconds', 'rateLimit.perSecond', 'retry.attempts', 'retry.maxSeconds', 'idempotencyHeader', 'headers'];

function bodyFromForm(form: Record<string, unknown>, stored: StoredHeader[]): Record<string, unknown> {
  const headers = headersFromForm(form, stored);
  const number = (name: string) => (text(form, name) === '' ? undefined : Number(text(form, name)));
  const body: Record<string, unknown> = {
    name: text(form, 'name'), method: text(form, 'method') || 'POST', headers,
    connectionId: text(form, 'connectionId') || null, path: text(form, 'path') || null,
    bodyTemplate: text(form, 'bodyTemplate') || null, mode: text(form, 'mode') || 'page',
    rateLimit: { perSecond: number('rateLimit.perSecond') ?? null },
    idempotencyHeader: text(form, 'idempotencyHeader') || null,
  };
  // Left out when empty: an import that names a connection has no URL of its own.
  if (text(form, 'url') !== '') body.url = text(form, 'url');
  if (number('timeoutSeconds') !== undefined) body.timeoutSeconds = number('timeoutSeconds');
  const retry: Record<string, number> = {};
  if (number('retry.attempts') !== undefined) retry.attempts = number('retry.attempts')!;
  if (number('retry.maxSeconds') !== undefined) retry.maxSeconds = number('retry.maxSeconds')!;
  body.retry = retry;
  return body;
}

function valuesOf(item: Record<string, any>): Record<string, unknown> {
  return {
    name: item.name, url: item.url ?? '', connectionId: item.connectionId ?? '', path: item.path ?? '', method: item.method, bodyTemplate: item.bodyTemplate ?? '', mode: item.mode,
    timeoutSeconds: String(item.timeoutSeconds), 'rateLimit.perSecond': item.rateLimit?.perSecond ?? '',
    'retry.attempts': String(item.retry?.attempts ?? ''), 'retry.maxSeconds': String(item.retry?.maxSeconds ?? ''),
    idempotencyHeader: item.idempotencyHeader ?? '',
  };
}

export function addImportPages(router: Router, kit: ConsoleKit): void {
  const byId = (req: Request) => ({ params: { id: String(req.params.id) } });

  /** The connections an import may name instead of a URL of its own. */
  async function connections(req: Request, chosen: unknown): Promise<Array<Record<string, unknown>>> {
    const listPage = await kit.api(req, 'get', '/connections', { query: { limit: '500' } });
    return listPage.items.map((c: { id: string; name: string }) => ({ id: c.id, name: c.name, selected: c.id === chosen }));
  }

  async function renderForm(req: Request, res: Response, state: { item?: Record<string, any>; values: Record<string, unknown>; rows: HeaderRow[]; errors?: FormErrors }, status = 200) {
    const errors = state.errors ?? {};
    // `/headers/1/value` errors arrive as `headers`; the message names the row.
    kit.render(req, res, 'import-form', {
      title: state.item ? `Edit ${state.item.name}` : 'New import', item: state.item, values: state.values, errors,
      rows: withBlankRows(state.rows), connections: await connections(req, state.values.connectionId),
      methods: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((method) => ({ method, selected: method === (state.values.method ?? 'POST') })),
      modes: ['page', 'record'].map((mode) => ({ mode, selected: mode === (state.values.mode ?? 'page') })),
    }, status);
  }

  router.get('/imports', async (req, res) => {
    const listPage = await kit.api(req, 'get', '/imports', { query: { limit: '100' } });
    kit.render(req, res, 'imports', { title: 'Imports', items: listPage.items, nextCursor: listPage.nextCursor, canCreate: kit.can(req, 'post', '/imports') });
  });

  router.get('/imports/new', async (req, res) => {
    kit.require(req, 'post', '/imports');
    await renderForm(req, res, { values: { method: 'POST', mode: 'page', timeoutSeconds: '30', 'retry.attempts': '3', 'retry.maxSeconds': '360', idempotencyHeader: 'Idempotency-Key' }, rows: [] });
  });

  router.post('/imports/new', async (req, res) => {
    kit.require(req, 'post', '/imports');
    const form = req.body as Record<string, unknown>;
    try {
      const created = await kit.api(req, 'post', '/imports', { body: bodyFromForm(form, []) });
      kit.flash(req, 'ok', `Import ${created.name} created.`);
      kit.redirect(res, '/imports');
    } catch (error) {
      const errors = formErrors(error, FIELDS);
      if (!errors) throw error;
      await renderForm(req, res, { values: form, rows: postedRows(form), errors }, 400);
    }
  });

  router.get('/imports/:id', async (req, res) => {
    const item = await kit.api(req, 'get', '/imports/:id', byId(req));
    kit.render(req, res, 'import', { title: item.name, item, headers: item.headers, canEdit: kit.can(req, 'patch', '/imports/:id') });
  });

  router.get('/imports/:id/edit', async (req, res) => {
    kit.require(req, 'patch', '/imports/:id');
    const item = await kit.api(req, 'get', '/imports/:id', byId(req));
    await renderForm(req, res, { item, values: valuesOf(item), rows: storedRows(item.headers) });
  });

  router.post('/imports/:id/edit', async (req, res) => {
    kit.require(req, 'patch', '/imports/:id');
    const item = await kit.api(req, 'get', '/imports/:id', byId(req));
    const form = req.body as Record<string, unknown>;
    try {
      await kit.api(req, 'patch', '/imports/:id', { ...byId(req), body: bodyFromForm(form, item.headers) });
      kit.flash(req, 'ok', `Import ${item.name} saved.`);
      kit.redirect(res, `/imports/${item.id}`);
    } catch (error) {
      const errors = formErrors(error, FIELDS);
      if (!errors) throw error;
      await renderForm(req, res, { item, values: form, rows: rowsAfterError(form, item.headers), errors }, 400);
    }
  });

  addDeletePages(router, kit, { plural: 'imports', noun: 'import', consequence: 'An import that a flow still uses cannot be deleted.' });
}
