/**
 * LINE Messaging API: `x-line-signature`, the base64 HMAC-SHA256 of the raw body
 * under the channel secret.
 * https://developers.line.biz/en/reference/messaging-api/#signature-validation
 */
import type { HmacPreset } from './types';

export const linePreset: HmacPreset = {
  name: 'line',
  displayName: 'LINE Messaging API',
  scheme: 'hmac',
  docs: 'https://developers.line.biz/en/reference/messaging-api/#signature-validation',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'x-line-signature' },
  secret: { what: 'The channel secret', where: 'LINE Developers Console → your channel → Basic settings → Channel secret' },
};
