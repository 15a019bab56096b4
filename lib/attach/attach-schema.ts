/**
 * `attach` on a listener (issue 14; Make's dedicated, attached webhooks): the
 * partner API calls that register the listener's URL through a connection, and
 * unregister it when the listener is deleted.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HEADER_VALUE_PATTERN } from '../http/header-field';

const Strict = { additionalProperties: false } as const;

export const PartnerCallSchema = Type.Object(
  {
    method: Type.Optional(Type.Union(['POST', 'PUT', 'PATCH', 'DELETE', 'GET'].map((m) => Type.Literal(m)), { default: 'POST' })),
    path: Type.String({ pattern: '^[^\\s]*$', maxLength: 2000, description: 'appended to the connection’s baseUrl; a template' }),
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$' }), Type.String({ pattern: HEADER_VALUE_PATTERN }), {
      default: {}, description: 'besides every header of the connection (these win by name); values are templates',
    })),
    body: Type.Optional(Type.Unknown({ default: null, description: 'a JSON template (strings that are exactly one {{expression}} keep their type); null sends no body' })),
    type: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('form')], { default: 'json', description: 'how the body is sent: JSON, or form-encoded with a[b]=… and a[]=… (Stripe)' })),
  },
  Strict,
);

export const AttachSchema = Type.Union(
  [
    Type.Object(
      {
        connectionId: Type.String({ pattern: '^[a-z0-9]{32}$', description: 'the connection whose base URL and headers reach the partner’s API' }),
        register: PartnerCallSchema,
        // Optional with documented defaults: ajv fills no defaults inside a union (attachDefaults does).
        unregister: Type.Optional(Type.Union([PartnerCallSchema, Type.Null()], { default: null, description: 'called when the listener is deleted; {{externalId}} is the id stored at registration' })),
        externalIdPath: Type.Optional(Type.String({ minLength: 1, default: '$.id', description: 'JSONPath in the register answer to the partner’s id for the webhook' })),
        secretPath: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()], {
          default: null,
          description: 'JSONPath in the register answer to a signing secret the partner generated (Stripe’s whsec_…): it becomes the listener’s verification secret',
        })),
      },
      Strict,
    ),
    Type.Null(),
  ],
  {
    default: null,
    description: 'register the listener’s URL with the partner on creation; templates see {listener: {id, name, url, secret}, externalId}',
  },
);

type RawCall = Static<typeof PartnerCallSchema>;
type RawAttach = NonNullable<Static<typeof AttachSchema>>;
export type PartnerCall = Required<RawCall>;
export type AttachSettings = Omit<Required<RawAttach>, 'register' | 'unregister'> & { register: PartnerCall; unregister: PartnerCall | null };

function callDefaults(call: RawCall): PartnerCall {
  return { method: call.method ?? 'POST', path: call.path, headers: call.headers ?? {}, body: call.body ?? null, type: call.type ?? 'json' };
}

/** `attach` with every default filled in (the schema cannot: see above). */
export function attachDefaults(attach: RawAttach): AttachSettings {
  return {
    connectionId: attach.connectionId,
    register: callDefaults(attach.register),
    unregister: attach.unregister ? callDefaults(attach.unregister) : null,
    externalIdPath: attach.externalIdPath ?? '$.id',
    secretPath: attach.secretPath ?? null,
  };
}

/** Where a listener stands with its partner; kept beside the listener, shown in its view and status. */
export const AttachmentSchema = Type.Object({
  status: Type.Union(['attached', 'failed', 'detached', 'detach-failed'].map((s) => Type.Literal(s))),
  externalId: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
  error: Type.Union([
    Type.Object({
      message: Type.String(),
      status: Type.Union([Type.Integer(), Type.Null()], { description: 'the partner’s HTTP status, null when it did not answer' }),
      body: Type.Union([Type.String(), Type.Null()], { description: 'the start of the partner’s answer' }),
    }),
    Type.Null(),
  ]),
});

export type Attachment = Static<typeof AttachmentSchema>;
