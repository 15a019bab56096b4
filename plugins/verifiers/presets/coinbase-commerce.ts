/**
 * Coinbase Commerce: `X-CC-Webhook-Signature`, the hex HMAC-SHA256 of the raw body
 * under the shared secret. Each event has a unique `event.id`.
 * https://docs.cdp.coinbase.com/commerce/api-architecture/webhooks-security
 */
import type { HmacPreset } from './types';

export const coinbaseCommercePreset: HmacPreset = {
  name: 'coinbase-commerce',
  displayName: 'Coinbase Commerce',
  scheme: 'hmac',
  docs: 'https://docs.cdp.coinbase.com/commerce/api-architecture/webhooks-security',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-cc-webhook-signature' },
  secret: { what: 'The shared webhook secret', where: 'Settings → Notifications → Webhook subscriptions → Show shared secret' },
  defaultDedupKey: 'jsonpath:$.event.id',
};
