/**
 * Replicate webhooks follow Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) with a `whsec_` secret.
 * https://replicate.com/docs/topics/webhooks/verify-webhook
 */
import { standardWebhooksHmac } from './standard-webhooks-hmac';
import type { HmacPreset } from './types';

export const replicatePreset: HmacPreset = {
  name: 'replicate',
  displayName: 'Replicate',
  scheme: 'hmac',
  docs: 'https://replicate.com/docs/topics/webhooks/verify-webhook',
  settings: standardWebhooksHmac('webhook'),
  secret: { what: 'The webhook signing secret (whsec_…)', where: 'GET https://api.replicate.com/v1/webhooks/default/secret (Replicate API)' },
  defaultDedupKey: 'header:webhook-id',
};
