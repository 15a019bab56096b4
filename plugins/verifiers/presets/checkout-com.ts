/**
 * Checkout.com: `Cko-Signature`, the hex HMAC-SHA256 of the raw body under the
 * endpoint's secret key. Each event has a unique `id`.
 * https://www.checkout.com/docs/developer-resources/event-notifications/receive-webhooks/configure-your-webhook-server
 */
import type { HmacPreset } from './types';

export const checkoutComPreset: HmacPreset = {
  name: 'checkout-com',
  displayName: 'Checkout.com',
  scheme: 'hmac',
  docs: 'https://www.checkout.com/docs/developer-resources/event-notifications/receive-webhooks/configure-your-webhook-server',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'cko-signature' },
  secret: { what: 'The secret key of the webhook endpoint', where: 'Dashboard → Developers → Webhooks → your endpoint → Secret key' },
  defaultDedupKey: 'jsonpath:$.id',
};
