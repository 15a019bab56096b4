/**
 * Airtable: `X-Airtable-Content-MAC: hmac-sha256=<hex>`, HMAC-SHA256 of the raw
 * body keyed with the base64-decoded `macSecretBase64` of the webhook.
 * https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery
 */
import type { HmacPreset } from './types';

export const airtablePreset: HmacPreset = {
  name: 'airtable',
  displayName: 'Airtable',
  scheme: 'hmac',
  docs: 'https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery',
  settings: {
    algorithm: 'sha256',
    encoding: 'hex',
    header: 'x-airtable-content-mac',
    prefix: 'hmac-sha256=',
    secretEncoding: 'base64',
  },
  secret: { what: 'The macSecretBase64 of the webhook (base64)', where: 'The response of the Create webhook API call (shown only then)' },
};
