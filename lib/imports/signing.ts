/**
 * Signed deliveries: an import's `signing: { scheme: "standard-webhooks", secrets }`
 * adds the three Standard Webhooks headers to every request, so a destination
 * can check that the page came from this hookport with any Standard Webhooks
 * library (spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md):
 *
 *   webhook-id         the page's idempotency key: the same on every try and replay
 *   webhook-timestamp  Unix seconds when this try was sent (each try is signed anew,
 *                      so a retry hours later still passes the receiver's tolerance)
 *   webhook-signature  `v1,` + base64 HMAC-SHA256 of `id.timestamp.body` under the
 *                      base64-decoded part of each `whsec_` secret; one entry per
 *                      active secret, space-separated, so listing two rotates keys
 *
 * Secrets are sealed at rest and masked by the import service; here they are in
 * clear text only to compute the signature. Nothing here logs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A secret, or one with the instant it stops signing (to end a rotation on time). */
const SigningSecretSchema = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object({ value: Type.String({ minLength: 1 }), expiresAt: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }),
]);

export const SigningSchema = Type.Union(
  [
    Type.Object(
      {
        scheme: Type.Literal('standard-webhooks'),
        secrets: Type.Optional(Type.Array(SigningSecretSchema, {
          maxItems: 10, description: '`whsec_` + base64 of 24 to 64 random bytes; every active one signs. Omit to have one generated (shown once).',
        })),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { default: null, description: 'adds webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks) to every request' },
);

export type SigningInput = Static<typeof SigningSchema>;

export interface SigningSecret {
  value: string;
  expiresAt?: string;
}

export interface SigningSettings {
  scheme: 'standard-webhooks';
  secrets: SigningSecret[];
}

/** A fresh `whsec_` secret: 32 random bytes, the size the reference libraries generate. */
export function generateSigningSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/** Why a secret cannot sign, or null when it can. */
export function signingSecretProblem(value: string): string | null {
  if (!value.startsWith(SECRET_PREFIX)) return 'must start with "whsec_"';
  const encoded = value.slice(SECRET_PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) return 'must be "whsec_" followed by base64';
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < 24 || bytes > 64) return `decodes to ${bytes} bytes; the Standard Webhooks spec asks for 24 to 64`;
  return null;
}

export function isActiveSecret(secret: SigningSecret, now: number): boolean {
  if (secret.expiresAt === undefined) return true;
  const expires = Date.parse(secret.expiresAt);
  return Number.isFinite(expires) && now < expires;
}

/**
 * The three headers for one try. `id` is the page's idempotency key; `body` the
 * exact text sent (empty for a request without one).
 */
export function standardWebhooksHeaders(signing: SigningSettings, id: string, body: string | undefined, now: number): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const content = `${id}.${timestamp}.${body ?? ''}`;
  const signatures = signing.secrets
    .filter((secret) => isActiveSecret(secret, now))
    .map((secret) => {
      const key = Buffer.from(secret.value.slice(SECRET_PREFIX.length), 'base64');
      return `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
    });
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
