/**
 * Shopify: HMAC-SHA256 of the raw body under the app's client secret, base64, in
 * `X-Shopify-Hmac-Sha256`. Duplicates share `X-Shopify-Webhook-Id`.
 * https://shopify.dev/docs/apps/build/webhooks/verify-deliveries
 */
import type { HmacPreset } from './types';

export const shopifyPreset: HmacPreset = {
  name: 'shopify',
  displayName: 'Shopify',
  scheme: 'hmac',
  docs: 'https://shopify.dev/docs/apps/build/webhooks/verify-deliveries',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'x-shopify-hmac-sha256' },
  secret: { what: "The app's client secret (API secret key)", where: 'Partner Dashboard or Dev Dashboard → your app → Settings → Client credentials' },
  defaultDedupKey: 'header:X-Shopify-Webhook-Id',
};
