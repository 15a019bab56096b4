/** The flow resource (SPEC §2): a listener's jobs through an ordered list of imports. */
import { Type, type Static } from '@sinclair/typebox';

export const FlowSettingsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    listenerId: Type.String({ pattern: '^[a-z0-9]{32}$', description: 'the id of an existing listener' }),
    imports: Type.Array(Type.String({ pattern: '^[a-z0-9]{32}$' }), { default: [], maxItems: 50, description: 'import ids, in delivery order' }),
    enabled: Type.Boolean({ default: true }),
    maxQueuedJobs: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 10_000 }),
  },
  { additionalProperties: false },
);

export type FlowSettings = Static<typeof FlowSettingsSchema>;
