/**
 * Clerk delivers through Svix: `svix-signature` holds space-separated
 * `v1,<base64>` entries, each HMAC-SHA256 of `{svix-id}.{svix-timestamp}.{raw body}`
 * keyed with the base64 part of the `whsec_` secret; 5 minutes of tolerance.
 * https://clerk.com/docs/webhooks/sync-data#verify-webhooks
 */
import type { HmacPreset } from './types';

export const clerkPreset: HmacPreset = {
  name: 'clerk',
  displayName: 'Clerk',
  scheme: 'hmac',
  docs: 'https://clerk.com/docs/webhooks/sync-data#verify-webhooks',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    signatureItems: { separator: ' ', assign: ',', signatureKey: 'v1' },
    secretEncoding: 'base64',
    header: 'svix-signature',
    signedContent: '{headers.svix-id}.{timestamp}.{body}',
    timestampHeader: 'svix-timestamp',
  },
  secret: { what: 'The endpoint Signing Secret (whsec_…)', where: 'Dashboard → Configure → Webhooks → your endpoint → Signing Secret' },
  defaultDedupKey: 'header:svix-id',
};
