/**
 * Paystack: `x-paystack-signature`, the hex HMAC-SHA512 of the raw body under the
 * account's secret key.
 * https://paystack.com/docs/payments/webhooks/#verify-event-origin
 */
import type { HmacPreset } from './types';

export const paystackPreset: HmacPreset = {
  name: 'paystack',
  displayName: 'Paystack',
  scheme: 'hmac',
  docs: 'https://paystack.com/docs/payments/webhooks/#verify-event-origin',
  settings: { algorithm: 'sha512', encoding: 'hex', header: 'x-paystack-signature' },
  secret: { what: 'The secret key (sk_live_… or sk_test_…)', where: 'Dashboard → Settings → API Keys & Webhooks → Secret Key' },
};
