/**
 * Meta (Facebook, Instagram, WhatsApp Cloud API): HMAC-SHA256 of the raw body
 * under the app secret, `X-Hub-Signature-256: sha256=<hex>`. Subscribing sends a
 * GET with `hub.mode=subscribe`, `hub.verify_token` and `hub.challenge`; the
 * verify token is chosen by the integrator, so it is required here.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 * Payloads batch several entries and carry no delivery id: no default dedup key.
 */
import type { HmacPreset } from './types';

export const metaPreset: HmacPreset = {
  name: 'meta',
  displayName: 'Meta (Facebook, Instagram, Messenger)',
  scheme: 'hmac',
  docs: 'https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hub-signature-256', prefix: 'sha256=' },
  accepts: ['verifyToken'],
  requires: ['verifyToken'],
  handshake: 'meta',
  secret: { what: 'The App Secret (and a verify token of your choice in verifyToken)', where: 'Meta App Dashboard → App settings → Basic → App secret' },
  sensitiveQuery: ['hub.verify_token'],
};
