/**
 * Sanity GROQ webhooks: `sanity-webhook-signature: t=<ms>,v1=<base64url>`, v1 the
 * HMAC-SHA256 of `{t}.{raw body}` under the webhook secret (as @sanity/webhook
 * computes it). `idempotency-key` names the delivery.
 * https://www.sanity.io/docs/webhooks#verifying-the-signature
 */
import type { HmacPreset } from './types';

export const sanityPreset: HmacPreset = {
  name: 'sanity',
  displayName: 'Sanity',
  scheme: 'hmac',
  docs: 'https://www.sanity.io/docs/webhooks#verifying-the-signature',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64url',
    header: 'sanity-webhook-signature',
    signatureItems: { separator: ',', assign: '=', signatureKey: 'v1', timestampKey: 't' },
    signedContent: '{timestamp}.{body}',
    timestampFormat: 'unix-ms',
    toleranceSeconds: 300,
  },
  secret: { what: 'The webhook secret', where: 'sanity.io/manage → your project → API → Webhooks → your webhook → Secret' },
  defaultDedupKey: 'header:idempotency-key',
};
