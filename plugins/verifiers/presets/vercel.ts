/**
 * Vercel: `x-vercel-signature`, the hex HMAC-SHA1 of the raw body under the
 * webhook secret. Each event has a unique `id`.
 * https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks
 */
import type { HmacPreset } from './types';

export const vercelPreset: HmacPreset = {
  name: 'vercel',
  displayName: 'Vercel',
  scheme: 'hmac',
  docs: 'https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks',
  settings: { algorithm: 'sha1', encoding: 'hex', header: 'x-vercel-signature' },
  secret: { what: 'The webhook secret', where: 'Team Settings → Webhooks → the secret shown when the webhook is created' },
  defaultDedupKey: 'jsonpath:$.id',
};
