import { Type } from '@sinclair/typebox';
import type { ListenerService } from '../../listeners/listener-service';
import { ListenerSettingsSchema } from '../../listeners/settings-schema';
import { ALL_ROLES, WRITERS, type AdminRoutes } from '../routes';
import { listOptions, PageQuerySchema, pageSchema } from '../pagination';
import { ListenerViewSchema } from '../views';

/** PATCH bodies: any subset of the fields, merged as an RFC 7396 merge patch. */
const ListenerPatchSchema = Type.Object({}, { additionalProperties: true, description: 'fields to change (JSON merge patch)' });

export function addListenerRoutes(routes: AdminRoutes, listeners: ListenerService): void {
  const tag = 'listeners';
  routes.add(
    { method: 'post', path: '/listeners', tag, summary: 'Create a listener', roles: WRITERS,
      body: ListenerSettingsSchema,
      response: { status: 201, schema: ListenerViewSchema } },
    (req) => listeners.create(req.body),
  );
  routes.add(
    { method: 'get', path: '/listeners', tag, summary: 'List listeners', roles: ALL_ROLES, query: PageQuerySchema,
      response: { status: 200, schema: pageSchema(ListenerViewSchema) } },
    (req) => listeners.list(listOptions(req)),
  );
  routes.add(
    { method: 'get', path: '/listeners/:id', tag, summary: 'Read a listener', roles: ALL_ROLES,
      response: { status: 200, schema: ListenerViewSchema }, errors: [404] },
    (req) => listeners.get(String(req.params.id)),
  );
  routes.add(
    { method: 'patch', path: '/listeners/:id', tag, summary: 'Change a listener', roles: WRITERS, body: ListenerPatchSchema,
      response: { status: 200, schema: ListenerViewSchema }, errors: [404, 409] },
    (req) => listeners.update(String(req.params.id), req.body),
  );
  routes.add(
    { method: 'delete', path: '/listeners/:id', tag, summary: 'Delete a listener (its URL then answers 410)', roles: WRITERS,
      response: { status: 204, description: 'Deleted' }, errors: [404] },
    async (req) => {
      await listeners.delete(String(req.params.id));
    },
  );
}
