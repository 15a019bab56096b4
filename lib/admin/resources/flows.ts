import { Type } from '@sinclair/typebox';
import type { FlowService } from '../../flows/flow-service';
import { FlowSettingsSchema } from '../../flows/flow-schema';
import { ALL_ROLES, WRITERS, type AdminRoutes } from '../routes';
import { listOptions, PageQuerySchema, pageSchema } from '../pagination';
import { FlowViewSchema } from '../views';

export function addFlowRoutes(routes: AdminRoutes, flows: FlowService): void {
  const tag = 'flows';
  routes.add(
    { method: 'post', path: '/flows', tag, summary: 'Create a flow', roles: WRITERS,
      body: FlowSettingsSchema,
      response: { status: 201, schema: FlowViewSchema }, errors: [422] },
    (req) => flows.create(req.body),
  );
  routes.add(
    { method: 'get', path: '/flows', tag, summary: 'List flows', roles: ALL_ROLES, query: PageQuerySchema,
      response: { status: 200, schema: pageSchema(FlowViewSchema) } },
    (req) => flows.list(listOptions(req)),
  );
  routes.add(
    { method: 'get', path: '/flows/:id', tag, summary: 'Read a flow', roles: ALL_ROLES,
      response: { status: 200, schema: FlowViewSchema }, errors: [404] },
    (req) => flows.get(String(req.params.id)),
  );
  routes.add(
    { method: 'patch', path: '/flows/:id', tag, summary: 'Change a flow (e.g. {"enabled": true})', roles: WRITERS,
      body: Type.Object({}, { additionalProperties: true }), response: { status: 200, schema: FlowViewSchema }, errors: [404, 409, 422] },
    (req) => flows.update(String(req.params.id), req.body),
  );
  routes.add(
    { method: 'delete', path: '/flows/:id', tag, summary: 'Delete a flow', roles: WRITERS,
      response: { status: 204, description: 'Deleted' }, errors: [404] },
    async (req) => {
      await flows.delete(String(req.params.id));
    },
  );
}
