/**
 * Connection pages (issue 14): where a partner's API lives and the headers its
 * imports share. List, create, edit, delete; private header values are handled
 * as on the import form (header-rows.ts).
 */
import type { Request, Response, Router } from 'express';
import { addDeletePages } from '../delete-pages';
import { formErrors, text, type ConsoleKit, type FormErrors } from '../kit';
import { headersFromForm, postedRows, rowsAfterError, storedRows, withBlankRows, type HeaderRow, type StoredHeader } from '../header-rows';

const FIELDS = ['name', 'baseUrl', 'uid', 'rateLimit.perSecond', 'headers'];

function bodyFromForm(form: Record<string, unknown>, stored: StoredHeader[]): Record<string, unknown> {
  const perSecond = text(form, 'rateLimit.perSecond');
  return {
    name: text(form, 'name'), baseUrl: text(form, 'baseUrl'), uid: text(form, 'uid') || null,
    rateLimit: { perSecond: perSecond === '' ? null : Number(perSecond) }, headers: headersFromForm(form, stored, true),
  };
}

export function addConnectionPages(router: Router, kit: ConsoleKit): void {
  const byId = (req: Request) => ({ params: { id: String(req.params.id) } });

  interface FormState {
    item?: Record<string, any>;
    values: Record<string, unknown>;
    rows: HeaderRow[];
    errors?: FormErrors;
    readOnly?: boolean;
  }
  function renderForm(req: Request, res: Response, state: FormState, status = 200) {
    const readOnly = state.readOnly === true;
    kit.render(req, res, 'connection-form', {
      title: state.item ? (readOnly ? String(state.item.name) : `Edit ${state.item.name}`) : 'New connection', item: state.item, values: state.values,
      errors: state.errors ?? {}, rows: readOnly ? state.rows : withBlankRows(state.rows), withInherit: true, readOnly,
      canEdit: readOnly && kit.can(req, 'patch', '/connections/:id'),
    }, status);
  }

  router.get('/connections', async (req, res) => {
    const listPage = await kit.api(req, 'get', '/connections', { query: { limit: '100' } });
    kit.render(req, res, 'connections', { title: 'Connections', items: listPage.items, nextCursor: listPage.nextCursor, canCreate: kit.can(req, 'post', '/connections') });
  });

  router.get('/connections/new', (req, res) => {
    kit.require(req, 'post', '/connections');
    renderForm(req, res, { values: {}, rows: [] });
  });

  router.post('/connections/new', async (req, res) => {
    kit.require(req, 'post', '/connections');
    const form = req.body as Record<string, unknown>;
    try {
      const created = await kit.api(req, 'post', '/connections', { body: bodyFromForm(form, []) });
      kit.flash(req, 'ok', `Connection ${created.name} created.`);
      kit.redirect(res, '/connections');
    } catch (error) {
      const errors = formErrors(error, FIELDS);
      if (!errors) throw error;
      renderForm(req, res, { values: form, rows: postedRows(form), errors }, 400);
    }
  });

  // Read-only for roles that may not change it (the same form, disabled); /edit is refused to them.
  async function showForm(req: Request, res: Response, readOnly: boolean) {
    const item = await kit.api(req, 'get', '/connections/:id', byId(req));
    renderForm(req, res, {
      item, rows: storedRows(item.headers), readOnly,
      values: { name: item.name, baseUrl: item.baseUrl, uid: item.uid ?? '', 'rateLimit.perSecond': item.rateLimit?.perSecond ?? '' },
    });
  }
  router.get('/connections/:id', (req, res) => showForm(req, res, true));
  router.get('/connections/:id/edit', (req, res) => {
    kit.require(req, 'patch', '/connections/:id');
    return showForm(req, res, false);
  });

  router.post('/connections/:id/edit', async (req, res) => {
    kit.require(req, 'patch', '/connections/:id');
    const item = await kit.api(req, 'get', '/connections/:id', byId(req));
    const form = req.body as Record<string, unknown>;
    try {
      await kit.api(req, 'patch', '/connections/:id', { ...byId(req), body: bodyFromForm(form, item.headers) });
      kit.flash(req, 'ok', `Connection ${item.name} saved.`);
      kit.redirect(res, `/connections/${item.id}`);
    } catch (error) {
      const errors = formErrors(error, FIELDS);
      if (!errors) throw error;
      renderForm(req, res, { item, values: form, rows: rowsAfterError(form, item.headers), errors }, 400);
    }
  });

  addDeletePages(router, kit, { plural: 'connections', noun: 'connection', consequence: 'A connection that an import still names cannot be deleted.' });
}
