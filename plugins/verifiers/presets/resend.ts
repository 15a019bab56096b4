/**
 * Resend delivers through Svix (`svix-id`, `svix-timestamp`, `svix-signature`):
 * the Standard Webhooks scheme with a `whsec_` secret.
 * https://resend.com/docs/webhooks/verify-webhooks-requests
 */
import { standardWebhooksHmac } from './standard-webhooks-hmac';
import type { HmacPreset } from './types';

export const resendPreset: HmacPreset = {
  name: 'resend',
  displayName: 'Resend',
  scheme: 'hmac',
  docs: 'https://resend.com/docs/webhooks/verify-webhooks-requests',
  settings: standardWebhooksHmac('svix'),
  secret: { what: 'The webhook signing secret (whsec_…)', where: 'Dashboard → Webhooks → your webhook → Signing secret' },
  defaultDedupKey: 'header:svix-id',
};
