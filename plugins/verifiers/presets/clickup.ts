/**
 * ClickUp: `X-Signature`, the hex HMAC-SHA256 of the raw body under the webhook's
 * secret.
 * https://developer.clickup.com/docs/webhooksignature
 */
import type { HmacPreset } from './types';

export const clickupPreset: HmacPreset = {
  name: 'clickup',
  displayName: 'ClickUp',
  scheme: 'hmac',
  docs: 'https://developer.clickup.com/docs/webhooksignature',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-signature' },
  secret: { what: 'The webhook secret', where: 'The secret returned when the webhook was created (Create Webhook API response)' },
};
