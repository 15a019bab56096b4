/**
 * Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the raw body>`
 * under the webhook secret. Each response has a unique `event_id`.
 * https://www.typeform.com/developers/webhooks/secure-your-webhooks/
 */
import type { HmacPreset } from './types';

export const typeformPreset: HmacPreset = {
  name: 'typeform',
  displayName: 'Typeform',
  scheme: 'hmac',
  docs: 'https://www.typeform.com/developers/webhooks/secure-your-webhooks/',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'typeform-signature', prefix: 'sha256=' },
  secret: { what: 'The webhook secret you chose', where: 'Form → Connect → Webhooks → Edit → Secret' },
  defaultDedupKey: 'jsonpath:$.event_id',
};
