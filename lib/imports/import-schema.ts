/** The import resource (SPEC §2, §11): a downstream HTTP destination. */
import { Type, type Static } from '@sinclair/typebox';
import { HEADER_VALUE_PATTERN } from '../http/header-field';
import { RetrySettingsInputSchema, type RetrySettings } from './retry-schedule';
import { SigningSchema, type SigningSettings } from './signing';

const Strict = { additionalProperties: false } as const;

export const ImportHeaderSchema = Type.Object(
  {
    name: Type.String({ pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$', description: 'an HTTP header name' }),
    value: Type.String({ pattern: HEADER_VALUE_PATTERN, description: 'no control characters but tab, nothing above U+00FF (RFC 9110 §5.5)' }),
    private: Type.Boolean({ default: false, description: 'sealed at rest, masked everywhere but the outgoing request' }),
  },
  Strict,
);

export const ImportSettingsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', description: 'an http(s) URL; leave it out when the import names a connectionId' })),
    connectionId: Type.Union([Type.String({ pattern: '^[a-z0-9]{32}$' }), Type.Null()], {
      default: null,
      description: 'a connection whose base URL, inherited headers and shared rate limit this import uses',
    }),
    path: Type.Union([Type.String({ pattern: '^[^\\s]*$', maxLength: 2000 }), Type.Null()], {
      default: null,
      description: 'with a connectionId: appended to the connection’s baseUrl (may hold templates)',
    }),
    method: Type.Union(['POST', 'PUT', 'PATCH', 'GET', 'DELETE'].map((m) => Type.Literal(m)), { default: 'POST' }),
    headers: Type.Array(ImportHeaderSchema, { default: [], maxItems: 100 }),
    bodyTemplate: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
    mode: Type.Union([Type.Literal('page'), Type.Literal('record')], { default: 'page' }),
    timeoutSeconds: Type.Integer({ minimum: 1, maximum: 300, default: 30 }),
    rateLimit: Type.Object(
      { perSecond: Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }), Type.Null()], { default: null }) },
      { ...Strict, default: {} },
    ),
    retry: RetrySettingsInputSchema,
    idempotencyHeader: Type.Union([Type.String({ pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$' }), Type.Null()], {
      default: 'Idempotency-Key',
    }),
    signing: SigningSchema,
  },
  Strict,
);

/** Settings as validated and completed by the import service: retry defaults filled, signing secrets listed. */
export type ImportSettings = Omit<Static<typeof ImportSettingsSchema>, 'retry' | 'signing'> & {
  retry: RetrySettings;
  signing: SigningSettings | null;
};
