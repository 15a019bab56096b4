/**
 * Lemon Squeezy: `X-Signature`, the hex HMAC-SHA256 of the raw body under the
 * signing secret.
 * https://docs.lemonsqueezy.com/help/webhooks/signing-requests
 */
import type { HmacPreset } from './types';

export const lemonSqueezyPreset: HmacPreset = {
  name: 'lemon-squeezy',
  displayName: 'Lemon Squeezy',
  scheme: 'hmac',
  docs: 'https://docs.lemonsqueezy.com/help/webhooks/signing-requests',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-signature' },
  secret: { what: 'The signing secret you chose', where: 'Settings → Webhooks → your webhook → Signing secret' },
};
