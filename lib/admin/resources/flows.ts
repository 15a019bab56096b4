import type { FlowService } from '../../flows/flow-service';
import { FlowSettingsSchema } from '../../flows/flow-schema';
import type { AdminRoutes } from '../routes';
import { FlowViewSchema } from '../views';
import { addResourceRoutes } from './crud';

export function addFlowRoutes(routes: AdminRoutes, flows: FlowService): void {
  addResourceRoutes(routes, {
    plural: 'flows', noun: 'flow', service: flows, createSchema: FlowSettingsSchema, viewSchema: FlowViewSchema,
    createErrors: [422], patchSummary: 'Change a flow (e.g. {"enabled": true})', patchErrors: [422],
  });
}
