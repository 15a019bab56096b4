/**
 * Polar follows Standard Webhooks, except that the secret is not `whsec_` base64:
 * its text is the key (Polar's SDK base64-encodes it before handing it to a
 * Standard Webhooks library, which decodes it again).
 * https://polar.sh/docs/integrate/webhooks/delivery#verify-signature
 */
import type { HmacPreset } from './types';

export const polarPreset: HmacPreset = {
  name: 'polar',
  displayName: 'Polar',
  scheme: 'hmac',
  docs: 'https://polar.sh/docs/integrate/webhooks/delivery#verify-signature',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    signatureItems: { separator: ' ', assign: ',', signatureKey: 'v1' },
    secretEncoding: 'utf8',
    header: 'webhook-signature',
    signedContent: '{headers.webhook-id}.{timestamp}.{body}',
    timestampHeader: 'webhook-timestamp',
  },
  secret: { what: 'The webhook secret', where: 'Organization settings → Webhooks → your endpoint → Secret' },
  defaultDedupKey: 'header:webhook-id',
};
