import type { ConnectionService } from '../../connections/connection-service';
import { ConnectionSettingsSchema } from '../../connections/connection-schema';
import type { AdminRoutes } from '../routes';
import { headersAt, headersAsList } from '../../validation/header-forms';
import { ConnectionViewSchema } from '../views';
import { addResourceRoutes } from './crud';

export function addConnectionRoutes(routes: AdminRoutes, connections: ConnectionService): void {
  addResourceRoutes(routes, {
    plural: 'connections', noun: 'connection', service: connections, createSchema: ConnectionSettingsSchema, prepareCreate: headersAt(['headers'], headersAsList), viewSchema: ConnectionViewSchema,
    createErrors: [409], deleteSummary: 'Delete a connection no import uses (409 names the imports that do)', deleteErrors: [409],
  });
}
