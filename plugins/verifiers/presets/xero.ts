/**
 * Xero: `x-xero-signature`, the base64 HMAC-SHA256 of the raw body under the
 * webhook key. The Intent to Receive check needs 401 for a bad signature and
 * 200 for a good one, which is what hookport answers.
 * https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/
 */
import type { HmacPreset } from './types';

export const xeroPreset: HmacPreset = {
  name: 'xero',
  displayName: 'Xero',
  scheme: 'hmac',
  docs: 'https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'x-xero-signature' },
  secret: { what: 'The webhooks key', where: 'developer.xero.com → My Apps → your app → Webhooks → Webhooks key' },
};
