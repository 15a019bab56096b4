/**
 * Clerk delivers through Svix: `svix-signature` holds space-separated
 * `v1,<base64>` entries, each HMAC-SHA256 of `{svix-id}.{svix-timestamp}.{raw body}`
 * keyed with the base64 part of the `whsec_` secret; 5 minutes of tolerance.
 * https://clerk.com/docs/webhooks/sync-data#verify-webhooks
 */
import { standardWebhooksHmac } from './standard-webhooks-hmac';
import type { HmacPreset } from './types';

export const clerkPreset: HmacPreset = {
  name: 'clerk',
  displayName: 'Clerk',
  scheme: 'hmac',
  docs: 'https://clerk.com/docs/webhooks/sync-data#verify-webhooks',
  settings: standardWebhooksHmac('svix'),
  secret: { what: 'The endpoint Signing Secret (whsec_…)', where: 'Dashboard → Configure → Webhooks → your endpoint → Signing Secret' },
  defaultDedupKey: 'header:svix-id',
};
