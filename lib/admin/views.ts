/** Reply schemas, for the OpenAPI document. */
import { Type } from '@sinclair/typebox';
import { ListenerSettingsSchema } from '../listeners/settings-schema';
import { ImportSettingsSchema } from '../imports/import-schema';
import { FlowSettingsSchema } from '../flows/flow-schema';

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
  }),
  ListenerSettingsSchema,
]);

export const ImportViewSchema = Type.Composite([Type.Object(Stamps), ImportSettingsSchema]);

export const FlowViewSchema = Type.Composite([
  Type.Object({ ...Stamps, queueDepth: Type.Integer({ description: 'jobs waiting for this flow' }) }),
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
