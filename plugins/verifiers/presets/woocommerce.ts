/**
 * WooCommerce: `X-WC-Webhook-Signature`, the base64 HMAC-SHA256 of the raw body
 * under the webhook secret. `X-WC-Webhook-Delivery-ID` names the delivery.
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks
 */
import type { HmacPreset } from './types';

export const woocommercePreset: HmacPreset = {
  name: 'woocommerce',
  displayName: 'WooCommerce',
  scheme: 'hmac',
  docs: 'https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'x-wc-webhook-signature' },
  secret: { what: 'The webhook secret', where: 'WooCommerce → Settings → Advanced → Webhooks → your webhook → Secret' },
  defaultDedupKey: 'header:X-WC-Webhook-Delivery-ID',
};
