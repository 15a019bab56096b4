import type { ImportService } from '../../imports/import-service';
import { ImportSettingsSchema } from '../../imports/import-schema';
import type { AdminRoutes } from '../routes';
import { headersAt, headersAsList } from '../../validation/header-forms';
import { ImportViewSchema } from '../views';
import { addResourceRoutes } from './crud';

export function addImportRoutes(routes: AdminRoutes, imports: ImportService): void {
  addResourceRoutes(routes, {
    plural: 'imports', noun: 'import', service: imports, createSchema: ImportSettingsSchema, prepareCreate: headersAt(['headers'], headersAsList), viewSchema: ImportViewSchema,
    deleteSummary: 'Delete an import no flow uses', deleteErrors: [409],
  });
}
