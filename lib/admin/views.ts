/** Reply schemas, for the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import { ListenerSettingsSchema } from '../listeners/settings-schema';
import { ImportSettingsSchema } from '../imports/import-schema';
import { FlowSettingsSchema } from '../flows/flow-schema';
import { ConnectionSettingsSchema } from '../connections/connection-schema';
import { AttachmentSchema } from '../attach/attach-schema';

const Stamps = {
  id: Type.String({ pattern: '^[a-z0-9]{32}$' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const ListenerViewSchema = Type.Composite([
  Type.Object({
    ...Stamps,
    url: Type.String({ description: 'where partners send webhooks; a secret segment is masked after creation' }),
    debugUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    generatedSecrets: Type.Optional(Type.Array(Type.String(), { description: 'only in the reply that generated them' })),
    warnings: Type.Optional(Type.Array(Type.String(), { description: 'settings that work but deserve a second look (e.g. no verification)' })),
    attachment: Type.Optional(Type.Union([AttachmentSchema, Type.Null()], { description: 'with attach: where the webhook stands with the partner' })),
  }),
  ListenerSettingsSchema,
]);

export const ImportViewSchema = Type.Composite([
  Type.Object({
    ...Stamps,
    generatedSecrets: Type.Optional(Type.Array(Type.String(), { description: 'signing secrets generated for this import: only in the reply that generated them' })),
  }),
  ImportSettingsSchema,
]);

export const ConnectionViewSchema = Type.Composite([Type.Object(Stamps), ConnectionSettingsSchema]);

/** A request waiting for its next attempt (SPEC §11); stored, so it survives a restart. */
export const RetryWaitSchema = Type.Object({
  unit: Type.String(), jobId: Type.String(), pageIndex: Type.Integer(), importId: Type.String(), importIndex: Type.Integer(),
  recordIndex: Type.Union([Type.Integer(), Type.Null()]), attempts: Type.Integer({ description: 'requests made so far' }),
  firstAttemptAt: Type.String({ format: 'date-time' }), nextAttemptAt: Type.String({ format: 'date-time' }),
  lastError: Type.Object({ kind: Type.String(), status: Type.Union([Type.Integer(), Type.Null()]), message: Type.String() }),
});

export const FlowViewSchema = Type.Composite([
  Type.Object({
    ...Stamps,
    queueDepth: Type.Integer({ description: 'jobs waiting for this flow' }),
    oldestWaitingSeconds: Type.Union([Type.Integer(), Type.Null()], { description: 'age of the oldest job the flow has not passed; null when none waits' }),
    retryWait: Type.Union([RetryWaitSchema, Type.Null()], { description: 'the request waiting for its next attempt, if any' }),
    replaysQueued: Type.Integer({ description: 'replays waiting for this flow' }),
  }),
  FlowSettingsSchema,
]);

export const ApiKeyViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('integrator'), Type.Literal('support')]),
  keyPrefix: Type.String({ description: 'the first 8 characters of a generated key (hpk_…), or **** and the last 4 of a chosen one' }),
  source: Type.Union([Type.Literal('generated'), Type.Literal('environment'), Type.Literal('bootstrap')], {
    description: 'generated (API or CLI), environment (HOOKPORT_ADMIN_KEY), bootstrap (printed at the first start)',
  }),
  createdAt: Type.String({ format: 'date-time' }),
  key: Type.Optional(Type.String({ description: 'only in the reply that created the key' })),
});
