import { Type } from '@sinclair/typebox';
import type { ImportService } from '../../imports/import-service';
import { ImportSettingsSchema } from '../../imports/import-schema';
import { ALL_ROLES, WRITERS, type AdminRoutes } from '../routes';
import { listOptions, PageQuerySchema, pageSchema } from '../pagination';
import { ImportViewSchema } from '../views';

export function addImportRoutes(routes: AdminRoutes, imports: ImportService): void {
  const tag = 'imports';
  routes.add(
    { method: 'post', path: '/imports', tag, summary: 'Create an import', roles: WRITERS,
      body: ImportSettingsSchema,
      response: { status: 201, schema: ImportViewSchema } },
    (req) => imports.create(req.body),
  );
  routes.add(
    { method: 'get', path: '/imports', tag, summary: 'List imports', roles: ALL_ROLES, query: PageQuerySchema,
      response: { status: 200, schema: pageSchema(ImportViewSchema) } },
    (req) => imports.list(listOptions(req)),
  );
  routes.add(
    { method: 'get', path: '/imports/:id', tag, summary: 'Read an import', roles: ALL_ROLES,
      response: { status: 200, schema: ImportViewSchema }, errors: [404] },
    (req) => imports.get(String(req.params.id)),
  );
  routes.add(
    { method: 'patch', path: '/imports/:id', tag, summary: 'Change an import', roles: WRITERS,
      body: Type.Object({}, { additionalProperties: true, description: 'fields to change (JSON merge patch)' }), response: { status: 200, schema: ImportViewSchema }, errors: [404, 409] },
    (req) => imports.update(String(req.params.id), req.body),
  );
  routes.add(
    { method: 'delete', path: '/imports/:id', tag, summary: 'Delete an import no flow uses', roles: WRITERS,
      response: { status: 204, description: 'Deleted' }, errors: [404, 409] },
    async (req) => {
      await imports.delete(String(req.params.id));
    },
  );
}
