/**
 * Shopify: HMAC-SHA256 of the raw body under the app's client secret, base64, in
 * `X-Shopify-Hmac-Sha256`. Duplicates share `X-Shopify-Webhook-Id`.
 * https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
 */
import type { HmacPreset } from './types';

export const shopifyPreset: HmacPreset = {
  name: 'shopify',
  scheme: 'hmac',
  docs: 'https://shopify.dev/docs/apps/build/webhooks/verify-deliveries',
  hmac: { algorithm: 'sha256', encoding: 'base64', header: 'x-shopify-hmac-sha256' },
  defaultDedupKey: 'header:X-Shopify-Webhook-Id',
};
