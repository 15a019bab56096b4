/**
 * Calendly: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, v1 the HMAC-SHA256
 * of `{t}.{raw body}` under the subscription's signing key; Calendly's example
 * refuses signatures older than 3 minutes.
 * https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures
 */
import type { HmacPreset } from './types';

export const calendlyPreset: HmacPreset = {
  name: 'calendly',
  displayName: 'Calendly',
  scheme: 'hmac',
  docs: 'https://developer.calendly.com/api-docs/4c305798a61d3-webhook-signatures',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'calendly-webhook-signature',
    signatureItems: { separator: ',', assign: '=', signatureKey: 'v1', timestampKey: 't' },
    signedContent: '{timestamp}.{body}',
    toleranceSeconds: 180,
  },
  secret: { what: 'The webhook signing key', where: 'The signing_key given when the webhook subscription was created (API) or Integrations → Webhooks' },
};
