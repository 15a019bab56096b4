/**
 * Import pages: list, create, edit, delete. Private header values never reach
 * the browser: the API already masks them, the form shows an empty box for
 * them, and an empty box on save sends the masked value back, which the import
 * service reads as "keep the stored value".
 */
import type { Request, Response, Router } from 'express';
import { formErrors, text, type ConsoleKit, type FormErrors } from '../kit';

const BLANK_HEADER_ROWS = 2;
const FIELDS = ['name', 'url', 'method', 'bodyTemplate', 'mode', 'timeoutSeconds', 'rateLimit.perSecond', 'retry.attempts', 'retry.maxSeconds', 'idempotencyHeader', 'headers'];

interface Header {
  name: string;
  value: string;
  private: boolean;
}

interface HeaderRow {
  index: number;
  name: string;
  value: string;
  private: boolean;
  /** The masked stored value, shown as a placeholder only. */
  masked?: string;
}

function headerRows(form: Record<string, unknown>): HeaderRow[] {
  const rows: HeaderRow[] = [];
  for (let index = 0; typeof form[`headers.${index}.name`] === 'string'; index += 1) {
    rows.push({ index, name: text(form, `headers.${index}.name`), value: String(form[`headers.${index}.value`] ?? ''), private: form[`headers.${index}.private`] === 'true' });
  }
  return rows;
}

function rowsOf(headers: Header[]): HeaderRow[] {
  return headers.map((header, index) =>
    header.private ? { index, name: header.name, value: '', private: true, masked: header.value } : { index, ...header },
  );
}

function withBlankRows(rows: HeaderRow[]): HeaderRow[] {
  const filled = rows.filter((row) => row.name !== '' || row.value !== '');
  const blanks = Array.from({ length: BLANK_HEADER_ROWS }, (_, n) => ({ index: filled.length + n, name: '', value: '', private: false }));
  return [...filled.map((row, index) => ({ ...row, index })), ...blanks];
}

function bodyFromForm(form: Record<string, unknown>, stored: Header[]): Record<string, unknown> {
  const headers = headerRows(form)
    .filter((row) => row.name !== '')
    .map((row) => {
      // An empty private box keeps the stored value: send back its mask.
      const keep = row.private && row.value === '' ? stored.find((h) => h.private && h.name.toLowerCase() === row.name.toLowerCase()) : undefined;
      return { name: row.name, value: keep ? keep.value : row.value, private: row.private };
    });
  const number = (name: string) => (text(form, name) === '' ? undefined : Number(text(form, name)));
  const body: Record<string, unknown> = {
    name: text(form, 'name'), url: text(form, 'url'), method: text(form, 'method') || 'POST', headers,
    bodyTemplate: text(form, 'bodyTemplate') || null, mode: text(form, 'mode') || 'page',
    rateLimit: { perSecond: number('rateLimit.perSecond') ?? null },
    idempotencyHeader: text(form, 'idempotencyHeader') || null,
  };
  if (number('timeoutSeconds') !== undefined) body.timeoutSeconds = number('timeoutSeconds');
  const retry: Record<string, number> = {};
  if (number('retry.attempts') !== undefined) retry.attempts = number('retry.attempts')!;
  if (number('retry.maxSeconds') !== undefined) retry.maxSeconds = number('retry.maxSeconds')!;
  body.retry = retry;
  return body;
}

function valuesOf(item: Record<string, any>): Record<string, unknown> {
  return {
    name: item.name, url: item.url, method: item.method, bodyTemplate: item.bodyTemplate ?? '', mode: item.mode,
    timeoutSeconds: String(item.timeoutSeconds), 'rateLimit.perSecond': item.rateLimit?.perSecond ?? '',
    'retry.attempts': String(item.retry?.attempts ?? ''), 'retry.maxSeconds': String(item.retry?.maxSeconds ?? ''),
    idempotencyHeader: item.idempotencyHeader ?? '',
  };
}

export function addImportPages(router: Router, kit: ConsoleKit): void {
  const byId = (req: Request) => ({ params: { id: String(req.params.id) } });

  function renderForm(req: Request, res: Response, state: { item?: Record<string, any>; values: Record<string, unknown>; rows: HeaderRow[]; errors?: FormErrors }, status = 200) {
    const errors = state.errors ?? {};
    // `/headers/1/value` errors arrive as `headers`; the message names the row.
    kit.render(req, res, 'import-form', {
      title: state.item ? `Edit ${state.item.name}` : 'New import', item: state.item, values: state.values, errors,
      rows: withBlankRows(state.rows),
      methods: ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((method) => ({ method, selected: method === (state.values.method ?? 'POST') })),
      modes: ['page', 'record'].map((mode) => ({ mode, selected: mode === (state.values.mode ?? 'page') })),
    }, status);
  }

  router.get('/imports', async (req, res) => {
    const page = await kit.api(req, 'get', '/imports', { query: { limit: '100' } });
    kit.render(req, res, 'imports', { title: 'Imports', items: page.items, nextCursor: page.nextCursor, canCreate: kit.can(req, 'post', '/imports') });
  });

  router.get('/imports/new', (req, res) => {
    kit.require(req, 'post', '/imports');
    renderForm(req, res, { values: { method: 'POST', mode: 'page', timeoutSeconds: '30', 'retry.attempts': '3', 'retry.maxSeconds': '360', idempotencyHeader: 'Idempotency-Key' }, rows: [] });
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
      renderForm(req, res, { values: form, rows: headerRows(form), errors }, 400);
    }
  });

  // Every role may read an import; the form is read-only unless the role may change it.
  router.get('/imports/:id/edit', async (req, res) => {
    const item = await kit.api(req, 'get', '/imports/:id', byId(req));
    if (!kit.can(req, 'patch', '/imports/:id')) {
      kit.render(req, res, 'import', { title: item.name, item, headers: item.headers });
      return;
    }
    renderForm(req, res, { item, values: valuesOf(item), rows: rowsOf(item.headers) });
  });

  router.post('/imports/:id/edit', async (req, res) => {
    kit.require(req, 'patch', '/imports/:id');
    const item = await kit.api(req, 'get', '/imports/:id', byId(req));
    const form = req.body as Record<string, unknown>;
    try {
      await kit.api(req, 'patch', '/imports/:id', { ...byId(req), body: bodyFromForm(form, item.headers) });
      kit.flash(req, 'ok', `Import ${item.name} saved.`);
      kit.redirect(res, '/imports');
    } catch (error) {
      const errors = formErrors(error, FIELDS);
      if (!errors) throw error;
      const rows = headerRows(form).map((row) => ({ ...row, masked: rowsOf(item.headers).find((r) => r.private && r.name === row.name)?.masked }));
      renderForm(req, res, { item, values: form, rows, errors }, 400);
    }
  });

  router.get('/imports/:id/delete', async (req, res) => {
    kit.require(req, 'delete', '/imports/:id');
    const item = await kit.api(req, 'get', '/imports/:id', byId(req));
    kit.render(req, res, 'confirm-delete', {
      title: `Delete ${item.name}`, what: 'import', name: item.name, action: `/imports/${item.id}/delete`, cancel: `/imports/${item.id}/edit`,
      consequence: 'An import that a flow still uses cannot be deleted.',
    });
  });

  router.post('/imports/:id/delete', async (req, res) => {
    await kit.api(req, 'delete', '/imports/:id', byId(req));
    kit.flash(req, 'ok', 'Import deleted.');
    kit.redirect(res, '/imports');
  });
}
