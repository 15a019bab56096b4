/** The flow resource (SPEC §2): a listener's jobs through an ordered list of imports. */
import { Type, type Static } from '@sinclair/typebox';
import { RetrySettingsInputSchema } from '../imports/retry-schedule';

/** The most pages one flow may have in flight at once. */
export const MAX_DELIVERY_CONCURRENCY = 256;

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
    delivery: Type.Object(
      {
        concurrency: Type.Integer({
          minimum: 1, maximum: MAX_DELIVERY_CONCURRENCY, default: 1,
          description: 'pages in flight at once. 1: strict FIFO, one page at a time. More: pages with the same orderingKey still go one at a time in arrival order, different keys in parallel; without an orderingKey there is then no order at all',
        }),
        orderingKey: Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()], {
          default: null,
          description: 'a Handlebars template over a page\'s first record, with the context of an import template in record mode (e.g. "{{record.order.id}}"); pages whose keys are equal are delivered in order',
        }),
      },
      { additionalProperties: false, default: { concurrency: 1, orderingKey: null }, description: 'how many pages are delivered at once, and in what order (docs/flows.md, "Parallel delivery")' },
    ),
  },
  { additionalProperties: false },
);

export type FlowSettings = Static<typeof FlowSettingsSchema>;
