/** The admin page for API keys: list, create (the key is shown once), revoke. */
import type { Router } from 'express';
import { formErrors, text, type ConsoleKit } from '../kit';

export function addApiKeyPages(router: Router, kit: ConsoleKit): void {
  router.get('/api-keys', async (req, res) => {
    const listPage = await kit.api(req, 'get', '/api-keys', { query: { limit: '500' } });
    const me = kit.key(req).id;
    kit.render(req, res, 'api-keys', {
      title: 'API keys', items: listPage.items.map((item: { id: string }) => ({ ...item, isMe: item.id === me })), values: {}, errors: {},
    });
  });

  router.post('/api-keys', async (req, res) => {
    const body = { name: text(req.body, 'name'), role: text(req.body, 'role') };
    try {
      const created = await kit.api(req, 'post', '/api-keys', { body });
      kit.flash(req, 'ok', `Key “${created.name}” (${created.role}) created. Here it is, shown this once:`, created.key);
      kit.redirect(res, '/api-keys');
    } catch (error) {
      const errors = formErrors(error, ['name', 'role']);
      if (!errors) throw error;
      const listPage = await kit.api(req, 'get', '/api-keys', { query: { limit: '500' } });
      kit.render(req, res, 'api-keys', { title: 'API keys', items: listPage.items, values: body, errors }, 400);
    }
  });

  router.get('/api-keys/:id/delete', async (req, res) => {
    const key = await kit.api(req, 'get', '/api-keys/:id', { params: { id: String(req.params.id) } });
    kit.render(req, res, 'confirm-delete', {
      title: `Revoke ${key.name}`, what: 'API key', name: key.name, action: `/api-keys/${key.id}/delete`, cancel: '/api-keys',
      consequence: 'Calls and console sessions with this key stop working at once.',
    });
  });

  router.post('/api-keys/:id/delete', async (req, res) => {
    await kit.api(req, 'delete', '/api-keys/:id', { params: { id: String(req.params.id) } });
    kit.flash(req, 'ok', 'API key revoked.');
    kit.redirect(res, '/api-keys');
  });
}
