/**
 * The listener resource as the API accepts it (SPEC §2). Defaults here are the
 * documented defaults. Verification settings are checked separately against the
 * chosen verifier plugin's own schema.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AttachSchema } from '../attach/attach-schema';
import { BUILTIN_HANDSHAKE_NAMES, verifierTypes } from '../../plugins/verifiers';
import { HEADER_VALUE_PATTERN } from '../http/header-field';

const Strict = { additionalProperties: false } as const;

export const ConditionSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'JSONPath over {method, headers, query, body}' }),
    equals: Type.Optional(Type.Unknown()),
    exists: Type.Optional(Type.Boolean()),
    matches: Type.Optional(Type.String({ maxLength: 500 })),
  },
  Strict,
);

export const HandshakeRuleSchema = Type.Union([
  Type.Object(
    {
      when: Type.Array(ConditionSchema, { minItems: 1 }),
      respond: Type.Object(
        {
          status: Type.Integer({ minimum: 100, maximum: 599, default: 200 }),
          type: Type.Union([Type.Literal('json'), Type.Literal('urlencoded'), Type.Literal('text')], { default: 'json' }),
          headers: Type.Optional(Type.Record(Type.String(), Type.String())),
          body: Type.Optional(Type.Unknown()),
        },
        Strict,
      ),
      verify: Type.Optional(Type.Boolean()),
    },
    Strict,
  ),
  Type.Object(
    { builtin: Type.Union(BUILTIN_HANDSHAKE_NAMES.map((name) => Type.Literal(name))) },
    Strict,
  ),
]);

export const ListenerSettingsSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    // The type's own settings are checked by its plugin; the document names every type (#11 finding 11).
    verification: Type.Object(
      { type: Type.String({ enum: verifierTypes(), description: 'a verifier: each takes the settings in the README' }) },
      { additionalProperties: true, default: { type: 'none' } },
    ),
    allowIps: Type.Array(Type.String({ minLength: 1 }), { default: [], maxItems: 1000 }),
    limits: Type.Object(
      {
        capacity: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1000 }),
        leakPerSecond: Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000, default: 300 }),
      },
      { ...Strict, default: {} },
    ),
    parsing: Type.Object(
      {
        maxBodyBytes: Type.Integer({ minimum: 1, maximum: 104_857_600, default: 5_242_880 }),
        passThrough: Type.Boolean({ default: false }),
        includeHeaders: Type.Boolean({ default: false }),
      },
      { ...Strict, default: {} },
    ),
    records: Type.Object(
      {
        resourcePath: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        pageSize: Type.Integer({ minimum: 1, maximum: 10_000, default: 20 }),
        // More records than this in one request is refused (413): see docs/limits.md.
        maxPerRequest: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
        maxPageBytes: Type.Integer({ minimum: 1024, maximum: 104_857_600, default: 5_242_880 }),
        traceKeyTemplate: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        dataUriTemplate: Type.Union([Type.String({ minLength: 1 }), Type.Null()], { default: null }),
        filter: Type.Array(ConditionSchema, { default: [] }),
        output: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown()), Type.String(), Type.Null()], {
          default: null,
          description: 'a JSON template applied to each record before paging; strings are Handlebars over {record, body, headers, query, method, now, traceKey}, and a string that is exactly one {{expression}} keeps the value\'s JSON type',
        }),
      },
      { ...Strict, default: {} },
    ),
    routing: Type.Union(
      [
        Type.Object(
          {
            uid: Type.String({
              minLength: 1, maxLength: 1000,
              description: 'template over {body, headers, query, method} giving the tenant uid, looked up among the connections’ uid',
            }),
          },
          Strict,
        ),
        Type.Null(),
      ],
      { default: null, description: 'a shared listener: each request goes to the flows of the tenant whose connection has its uid' },
    ),
    attach: AttachSchema,
    handshake: Type.Array(HandshakeRuleSchema, { default: [] }),
    filter: Type.Array(ConditionSchema, { default: [] }),
    dedup: Type.Union(
      [
        Type.Object(
          {
            key: Type.String({ pattern: '^(header:[!#$%&\'*+.^_`|~0-9A-Za-z-]+|jsonpath:.+)$', description: 'header:<Name> or jsonpath:<path>' }),
            // Optional here because ajv fills no defaults inside a union; normalize.ts sets 86400.
            windowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_592_000, default: 86_400 })),
          },
          Strict,
        ),
        Type.Null(),
      ],
      { default: null },
    ),
    validation: Type.Object(
      {
        enabled: Type.Boolean({ default: false }),
        schema: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Boolean(), Type.Null()], { default: null }),
      },
      { ...Strict, default: {} },
    ),
    response: Type.Object(
      {
        status: Type.Integer({ minimum: 200, maximum: 299, default: 204 }),
        mediaType: Type.String({ minLength: 1, default: 'application/json' }),
        headers: Type.Record(Type.String({ pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$' }), Type.String({ pattern: HEADER_VALUE_PATTERN }), { default: {} }),
        body: Type.Union([Type.String(), Type.Object({}, { additionalProperties: true }), Type.Array(Type.Unknown()), Type.Null()], {
          default: null,
        }),
        mode: Type.Union([Type.Literal('immediate'), Type.Literal('afterFlow')], { default: 'immediate' }),
        timeoutSeconds: Type.Integer({ minimum: 1, maximum: 300, default: 40 }),
      },
      { ...Strict, default: {} },
    ),
    debug: Type.Object(
      { redact: Type.Array(Type.String({ minLength: 1 }), { default: [] }) },
      { ...Strict, default: {} },
    ),
    mockOutput: Type.Union([Type.Array(Type.Unknown()), Type.Null()], { default: null }),
    doNotStoreRetryData: Type.Boolean({ default: false }),
  },
  Strict,
);

export type ListenerSettings = Static<typeof ListenerSettingsSchema>;

