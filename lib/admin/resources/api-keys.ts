import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors';
import type { ApiKeyService } from '../api-keys-service';
import { viewApiKey } from '../api-keys-service';
import type { Store } from '../../store/store';
import { ADMINS, type AdminRoutes } from '../routes';
import { listOptions, ListQuerySchema, listPageSchema } from '../list-query';
import { ApiKeyViewSchema } from '../views';

const CreateApiKeySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Union([Type.Literal('admin'), Type.Literal('integrator'), Type.Literal('support')]),
  },
  { additionalProperties: false },
);

export function addApiKeyRoutes(routes: AdminRoutes, apiKeys: ApiKeyService, store: Store): void {
  const tag = 'api-keys';
  routes.add(
    { method: 'post', path: '/api-keys', tag, summary: 'Create an API key (the key is shown in this reply only)', roles: ADMINS,
      body: CreateApiKeySchema, response: { status: 201, schema: ApiKeyViewSchema } },
    async (req) => {
      const { doc, key } = await apiKeys.create(req.body.name, req.body.role);
      return { ...viewApiKey(doc), key };
    },
  );
  routes.add(
    { method: 'get', path: '/api-keys', tag, summary: 'List API keys', roles: ADMINS, query: ListQuerySchema,
      response: { status: 200, schema: listPageSchema(ApiKeyViewSchema) } },
    async (req) => {
      const listPage = await store.apiKeys.list(listOptions(req));
      return { items: listPage.items.map(viewApiKey), nextCursor: listPage.nextCursor };
    },
  );
  routes.add(
    { method: 'get', path: '/api-keys/:id', tag, summary: 'Read an API key', roles: ADMINS,
      response: { status: 200, schema: ApiKeyViewSchema }, errors: [404] },
    async (req) => {
      const doc = await store.apiKeys.get(String(req.params.id));
      if (!doc) throw new AppError('ERR_NOT_FOUND', `no API key ${req.params.id}`);
      return viewApiKey(doc);
    },
  );
  routes.add(
    { method: 'delete', path: '/api-keys/:id', tag, summary: 'Revoke an API key', roles: ADMINS,
      response: { status: 204, description: 'Revoked' }, errors: [404, 409] },
    async (req) => {
      const id = String(req.params.id);
      if (req.apiKey?.id === id) throw new AppError('ERR_CONFLICT', 'an API key cannot revoke itself');
      if (!(await apiKeys.revoke(id))) throw new AppError('ERR_NOT_FOUND', `no API key ${id}`);
    },
  );
}
