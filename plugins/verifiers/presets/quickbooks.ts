/**
 * QuickBooks Online (Intuit): `intuit-signature`, the base64 HMAC-SHA256 of the
 * raw body under the app's verifier token.
 * https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications#validating-the-notification
 */
import type { HmacPreset } from './types';

export const quickbooksPreset: HmacPreset = {
  name: 'quickbooks',
  displayName: 'QuickBooks Online (Intuit)',
  scheme: 'hmac',
  docs: 'https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications#validating-the-notification',
  settings: { algorithm: 'sha256', encoding: 'base64', header: 'intuit-signature' },
  secret: { what: 'The webhooks verifier token', where: 'developer.intuit.com → your app → Webhooks → Show verifier token' },
};
