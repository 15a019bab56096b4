/**
 * Cal.com: `X-Cal-Signature-256`, the hex HMAC-SHA256 of the raw body under the
 * webhook's secret.
 * https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload
 */
import type { HmacPreset } from './types';

export const calComPreset: HmacPreset = {
  name: 'cal-com',
  displayName: 'Cal.com',
  scheme: 'hmac',
  docs: 'https://cal.com/docs/developing/guides/automation/webhooks#verifying-the-authenticity-of-the-received-payload',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-cal-signature-256' },
  secret: { what: 'The webhook secret you chose', where: 'Settings → Developer → Webhooks → your webhook → Secret' },
};
