/**
 * OpenAI webhooks follow Standard Webhooks: `webhook-signature` `v1,<base64>`
 * over `{webhook-id}.{webhook-timestamp}.{raw body}` with a `whsec_` secret.
 * https://platform.openai.com/docs/guides/webhooks#verifying-webhook-signatures
 */
import { standardWebhooksHmac } from './standard-webhooks-hmac';
import type { HmacPreset } from './types';

export const openaiPreset: HmacPreset = {
  name: 'openai',
  displayName: 'OpenAI',
  scheme: 'hmac',
  docs: 'https://platform.openai.com/docs/guides/webhooks#verifying-webhook-signatures',
  settings: standardWebhooksHmac('webhook'),
  secret: { what: 'The webhook signing secret (whsec_…)', where: 'Platform settings → Project → Webhooks → the secret shown when the endpoint is created' },
  defaultDedupKey: 'header:webhook-id',
};
