/**
 * The connection resource (issue 14; Celigo's connections, Maestra's
 * integrations, Make's connections): where a partner's API lives and how to
 * talk to it, shared by every import that names it.
 */
import { HEADER_VALUE_PATTERN } from '../http/header-field';
import { Type, type Static } from '@sinclair/typebox';

const Strict = { additionalProperties: false } as const;

export const HEADER_NAME_PATTERN = '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$';

export const ConnectionHeaderSchema = Type.Object(
  {
    name: Type.String({ pattern: HEADER_NAME_PATTERN, description: 'an HTTP header name' }),
    value: Type.String({ pattern: HEADER_VALUE_PATTERN, description: 'no control characters but tab, nothing above U+00FF (RFC 9110 §5.5)' }),
    private: Type.Boolean({ default: false, description: 'sealed at rest, masked everywhere but the outgoing request' }),
    inherit: Type.Boolean({
      default: true,
      description: 'sent by every import that uses the connection (an import header of the same name overrides it); false: only on the connection’s own calls (attached webhooks)',
    }),
  },
  Strict,
);

export const ConnectionSettingsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    baseUrl: Type.String({ pattern: '^https?://[^\\s{}]+$', description: 'an http(s) URL; an import’s path is appended to it' }),
    headers: Type.Array(ConnectionHeaderSchema, { default: [], maxItems: 100 }),
    rateLimit: Type.Object(
      {
        perSecond: Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 100_000 }), Type.Null()], {
          default: null,
          description: 'one limit shared by every import that uses the connection, across flows and instances',
        }),
      },
      { ...Strict, default: {} },
    ),
    uid: Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], {
      default: null,
      description: 'the tenant id a shared listener routes by (routing.uid); unique among connections',
    }),
  },
  Strict,
);

export type ConnectionSettings = Static<typeof ConnectionSettingsSchema>;
export type ConnectionHeader = Static<typeof ConnectionHeaderSchema>;
