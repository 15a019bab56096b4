/** The flow resource (SPEC §2): a listener's jobs through an ordered list of imports. */
import { Type, type Static } from '@sinclair/typebox';
import { RetrySettingsInputSchema } from '../imports/retry-schedule';

export const FlowSettingsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    listenerId: Type.String({ pattern: '^[a-z0-9]{32}$', description: 'the id of an existing listener' }),
    imports: Type.Array(Type.String({ pattern: '^[a-z0-9]{32}$' }), { default: [], maxItems: 50, description: 'import ids, in delivery order' }),
    enabled: Type.Boolean({ default: true }),
    maxQueuedJobs: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 10_000 }),
    alert: Type.Union(
      [
        Type.Object(
          {
            importId: Type.String({ pattern: '^[a-z0-9]{32}$', description: 'the import that receives the alert (e.g. a chat webhook)' }),
            minIntervalSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'at most one alert this often (default 300); the next one counts those left out' })),
          },
          { additionalProperties: false },
        ),
        Type.Null(),
      ],
      { default: null, description: 'announce each new delivery error through an import' },
    ),
    retry: Type.Union([RetrySettingsInputSchema, Type.Null()], {
      default: null, description: "a retry policy for every import of this flow, in place of each import's own (null: the imports' own)",
    }),
  },
  { additionalProperties: false },
);

export type FlowSettings = Static<typeof FlowSettingsSchema>;
