/**
 * Schema building blocks shared by the verifier config schemas. `hookportMessage`
 * is an annotation the config validator shows instead of ajv's generic text for
 * unions (a secret is "a string or { value, expiresAt? }", not two failed branches).
 */
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { HEADER_NAME } from '../../lib/http/header-field';

export function stringEnum<T extends string>(values: readonly T[], description?: string): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

export const SecretSchema = Type.Union(
  [
    Type.String({ minLength: 1 }),
    Type.Object(
      {
        value: Type.String({ minLength: 1 }),
        expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
      },
      { additionalProperties: false },
    ),
  ],
  { hookportMessage: 'must be a non-empty string or an object { "value": string, "expiresAt"?: ISO-8601 date-time }' },
);

/**
 * Most secrets in one list. Each unsigned request is checked against every active
 * secret, so the list bounds what one request costs (#11 finding 10: 100,000 HMAC
 * keys made each unsigned request cost 543 ms). Rotation needs two or three.
 */
export const MAX_SECRETS = 10;

/** A list of secrets; `minItems: 1` where the secrets are required. */
export function secretList(minItems = 1): TSchema {
  return Type.Array(SecretSchema, { minItems, maxItems: MAX_SECRETS, description: `Secrets (at most ${MAX_SECRETS}); any active one verifies, the first active one signs.` });
}

/** An HTTP header field name (RFC 9110 token). */
export function headerName(description?: string): TSchema {
  return Type.String({ minLength: 1, pattern: HEADER_NAME.source, ...(description ? { description } : {}) });
}
