import type { ListenerService } from '../../listeners/listener-service';
import { ListenerSettingsSchema } from '../../listeners/settings-schema';
import type { AdminRoutes } from '../routes';
import { listenerHeadersAsObjects } from '../../listeners/normalize';
import { ListenerViewSchema } from '../views';
import { addResourceRoutes } from './crud';

export function addListenerRoutes(routes: AdminRoutes, listeners: ListenerService): void {
  addResourceRoutes(routes, {
    plural: 'listeners', noun: 'listener', service: listeners, createSchema: ListenerSettingsSchema, prepareCreate: listenerHeadersAsObjects, viewSchema: ListenerViewSchema,
    deleteSummary: 'Delete a listener (its URL then answers 410)',
    // 422: `attach` names a connection that does not exist (found by schemathesis in CI).
    createErrors: [422], patchErrors: [422],
  });
}
