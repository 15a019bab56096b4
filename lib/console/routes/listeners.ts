/**
 * Listener pages: the list (with each listener's status), create, edit and
 * delete. Forms become the same JSON bodies the admin API takes; the API's
 * field errors are shown next to the field they name.
 */
import type { Request, Response, Router } from 'express';
import { formErrors, text, type ConsoleKit, type FormErrors } from '../kit';
import { addDeletePages } from '../delete-pages';
import { VERIFICATION_FIELD_NAMES, VERIFIER_FORMS, verificationFromForm, verificationValues } from '../verifier-fields';

/** The view fields that are not settings, or that have their own form fields. */
const NOT_IN_SETTINGS_BOX = new Set(['id', 'name', 'url', 'verification', 'debugUntil', 'createdAt', 'updatedAt', 'warnings', 'generatedSecrets']);
const FIELDS = ['name', ...VERIFICATION_FIELD_NAMES, 'settings'];

interface StatusLike {
  lastRequestAt: string | null;
  lastHour: { total: number };
  flows: Array<{ queueDepth: number }>;
}

function otherSettings(listener: Record<string, unknown>): string {
  const rest = Object.fromEntries(Object.entries(listener).filter(([key]) => !NOT_IN_SETTINGS_BOX.has(key)));
  return JSON.stringify(rest, null, 2);
}

interface FormState {
  values: Record<string, string>;
  errors?: FormErrors;
  listener?: Record<string, unknown>;
}

interface PresetSummary {
  name: string;
  displayName: string;
  signature: string;
  secret: { what: string; where: string };
}

async function renderForm(kit: ConsoleKit, req: Request, res: Response, state: FormState, status = 200): Promise<void> {
  // What each provider sends and which secret to paste (GET /api/v1/presets).
  const presets = (await kit.api<{ items: PresetSummary[] }>(req, 'get', '/presets')).items;
  const displayNames = new Map(presets.map((preset) => [preset.name, preset.displayName]));
  const editing = state.listener !== undefined;
  const chosen = state.values['verification.type'] ?? 'none';
  const verifiers = VERIFIER_FORMS.map((form) => ({
    type: form.type,
    chosen: form.type === chosen,
    fields: form.fields.map((field) => ({
      ...field,
      id: `${form.type}-${field.property}`,
      value: form.type === chosen ? state.values[field.name] ?? '' : '',
      errors: form.type === chosen ? state.errors?.[field.name] : undefined,
      isSelect: field.kind === 'select',
      isSecrets: field.kind === 'secrets',
      isJson: field.kind === 'json',
      inputType: field.kind === 'number' ? 'number' : 'text',
      keepHint: editing && field.kind === 'secrets',
      options: field.options?.map((option) => ({
        option, label: field.name === 'verification.provider' ? `${displayNames.get(option) ?? option} (${option})` : option,
        selected: option === state.values[field.name],
      })),
    })),
  }));
  kit.render(req, res, 'listener-form', {
    title: editing ? `Edit ${String(state.listener!.name)}` : 'New listener',
    listener: state.listener,
    values: state.values,
    errors: state.errors ?? {},
    verifiers,
    presets,
  }, status);
}

/** The create/patch body from the form, or field problems found before the API sees it. */
function bodyFromForm(req: Request, current?: Record<string, unknown>): { body?: Record<string, unknown>; errors?: FormErrors } {
  const form = req.body as Record<string, unknown>;
  const { verification, problems } = verificationFromForm(form, current?.verification as Record<string, unknown> | undefined);
  const errors: FormErrors = {};
  for (const problem of problems) (errors[problem.name] ??= []).push(problem.message);
  let settings: Record<string, unknown> = {};
  const box = text(form, 'settings');
  if (box !== '') {
    try {
      const parsed: unknown = JSON.parse(box);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it must be a JSON object');
      settings = parsed as Record<string, unknown>;
    } catch (error) {
      (errors.settings ??= []).push(`is not a JSON object: ${(error as Error).message}`);
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  for (const key of NOT_IN_SETTINGS_BOX) delete settings[key];
  return { body: { ...settings, name: text(form, 'name'), verification } };
}

export function addListenerPages(router: Router, kit: ConsoleKit): void {
  router.get('/listeners', async (req, res) => {
    const after = typeof req.query.after === 'string' ? req.query.after : undefined;
    const listPage = await kit.api(req, 'get', '/listeners', { query: { limit: '50', ...(after ? { after } : {}) } });
    const items = await Promise.all(
      listPage.items.map(async (listener: Record<string, any>) => {
        const status = await kit.api<StatusLike>(req, 'get', '/listeners/:id/status', { params: { id: listener.id } });
        return {
          ...listener,
          // A preset names its provider; shown without naming any verifier type here.
          verifier: listener.verification.provider ? `${listener.verification.type}: ${listener.verification.provider}` : listener.verification.type,
          lastRequestAt: status.lastRequestAt,
          lastHour: status.lastHour.total,
          queueDepth: status.flows.reduce((sum, flow) => sum + flow.queueDepth, 0),
        };
      }),
    );
    kit.render(req, res, 'listeners', {
      title: 'Listeners', items, nextCursor: listPage.nextCursor, canCreate: kit.can(req, 'post', '/listeners'),
    });
  });

  router.get('/listeners/new', async (req, res) => {
    kit.require(req, 'post', '/listeners');
    await renderForm(kit, req, res, { values: { 'verification.type': 'hmac', 'verification.algorithm': 'sha256', 'verification.encoding': 'hex' } });
  });

  router.post('/listeners/new', async (req, res) => {
    kit.require(req, 'post', '/listeners');
    const values = req.body as Record<string, string>;
    const { body, errors } = bodyFromForm(req);
    if (!body) return renderForm(kit, req, res, { values, errors }, 400);
    try {
      const created = await kit.api(req, 'post', '/listeners', { body });
      const generated = (created.generatedSecrets as string[] | undefined)?.join('\n');
      kit.flash(req, 'ok', generated ? 'Listener created. Its generated secret (and URL) are shown this once:' : 'Listener created.', generated ? created.url : undefined);
      kit.redirect(res, `/listeners/${created.id}`);
    } catch (error) {
      const mapped = formErrors(error, FIELDS, 'settings');
      if (!mapped) throw error;
      await renderForm(kit, req, res, { values, errors: mapped }, 400);
    }
  });

  router.get('/listeners/:id/edit', async (req, res) => {
    kit.require(req, 'patch', '/listeners/:id');
    const listener = await kit.api(req, 'get', '/listeners/:id', { params: { id: String(req.params.id) } });
    await renderForm(kit, req, res, {
      listener,
      values: { name: listener.name, settings: otherSettings(listener), ...verificationValues(listener.verification) },
    });
  });

  router.post('/listeners/:id/edit', async (req, res) => {
    kit.require(req, 'patch', '/listeners/:id');
    const id = String(req.params.id);
    const listener = await kit.api(req, 'get', '/listeners/:id', { params: { id } });
    const values = req.body as Record<string, string>;
    const { body, errors } = bodyFromForm(req, listener);
    if (!body) return renderForm(kit, req, res, { listener, values, errors }, 400);
    try {
      const updated = await kit.api(req, 'patch', '/listeners/:id', { params: { id }, body });
      const generated = (updated.generatedSecrets as string[] | undefined)?.join('\n');
      kit.flash(req, 'ok', 'Listener saved.', generated ? updated.url : undefined);
      kit.redirect(res, `/listeners/${id}`);
    } catch (error) {
      const mapped = formErrors(error, FIELDS, 'settings');
      if (!mapped) throw error;
      await renderForm(kit, req, res, { listener, values, errors: mapped }, 400);
    }
  });

  addDeletePages(router, kit, { plural: 'listeners', noun: 'listener', consequence: 'Its URL will answer 410 Gone to partners from now on.' });
}
