/**
 * OpenAI webhooks follow Standard Webhooks: `webhook-signature` `v1,<base64>`
 * over `{webhook-id}.{webhook-timestamp}.{raw body}` with a `whsec_` secret.
 * https://platform.openai.com/docs/guides/webhooks#verifying-webhook-signatures
 */
import type { HmacPreset } from './types';

export const openaiPreset: HmacPreset = {
  name: 'openai',
  displayName: 'OpenAI',
  scheme: 'hmac',
  docs: 'https://platform.openai.com/docs/guides/webhooks#verifying-webhook-signatures',
  settings: {
    algorithm: 'sha256',
    encoding: 'base64',
    signatureItems: { separator: ' ', assign: ',', signatureKey: 'v1' },
    secretEncoding: 'base64',
    header: 'webhook-signature',
    signedContent: '{headers.webhook-id}.{timestamp}.{body}',
    timestampHeader: 'webhook-timestamp',
  },
  secret: { what: 'The webhook signing secret (whsec_…)', where: 'Platform settings → Project → Webhooks → the secret shown when the endpoint is created' },
  defaultDedupKey: 'header:webhook-id',
};
