/**
 * GoCardless: `Webhook-Signature`, the hex HMAC-SHA256 of the raw body under the
 * webhook endpoint's secret.
 * https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks#verifying-the-webhook-signature
 */
import type { HmacPreset } from './types';

export const gocardlessPreset: HmacPreset = {
  name: 'gocardless',
  displayName: 'GoCardless',
  scheme: 'hmac',
  docs: 'https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks#verifying-the-webhook-signature',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'webhook-signature' },
  secret: { what: 'The webhook endpoint secret', where: 'Dashboard → Developers → Webhook endpoints → your endpoint → Secret' },
};
