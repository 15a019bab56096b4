/**
 * Razorpay: `X-Razorpay-Signature`, the hex HMAC-SHA256 of the raw body under the
 * webhook secret. `X-Razorpay-Event-Id` is the same on retries.
 * https://razorpay.com/docs/webhooks/validate-test/
 */
import type { HmacPreset } from './types';

export const razorpayPreset: HmacPreset = {
  name: 'razorpay',
  displayName: 'Razorpay',
  scheme: 'hmac',
  docs: 'https://razorpay.com/docs/webhooks/validate-test/',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-razorpay-signature' },
  secret: { what: 'The webhook secret you chose', where: 'Dashboard → Accounts & Settings → Webhooks → your webhook → Secret' },
  defaultDedupKey: 'header:X-Razorpay-Event-Id',
};
