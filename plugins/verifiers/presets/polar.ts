/**
 * Polar follows Standard Webhooks, except that the secret is not `whsec_` base64:
 * its text is the key (Polar's SDK base64-encodes it before handing it to a
 * Standard Webhooks library, which decodes it again).
 * https://polar.sh/docs/integrate/webhooks/delivery#verify-signature
 */
import { standardWebhooksHmac } from './standard-webhooks-hmac';
import type { HmacPreset } from './types';

export const polarPreset: HmacPreset = {
  name: 'polar',
  displayName: 'Polar',
  scheme: 'hmac',
  docs: 'https://polar.sh/docs/integrate/webhooks/delivery#verify-signature',
  settings: standardWebhooksHmac('webhook', 'utf8'),
  secret: { what: 'The webhook secret', where: 'Organization settings → Webhooks → your endpoint → Secret' },
  defaultDedupKey: 'header:webhook-id',
};
