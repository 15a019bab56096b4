/**
 * WhatsApp Cloud API: Meta's scheme, `X-Hub-Signature-256: sha256=<hex>` over the
 * raw body under the app secret, and the hub.challenge subscription GET checked
 * against verifyToken (the meta handshake).
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks
 */
import type { HmacPreset } from './types';

export const whatsappPreset: HmacPreset = {
  name: 'whatsapp',
  displayName: 'WhatsApp Cloud API',
  scheme: 'hmac',
  docs: 'https://developers.facebook.com/docs/whatsapp/cloud-api/guides/set-up-webhooks',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hub-signature-256', prefix: 'sha256=' },
  accepts: ['verifyToken'],
  secret: { what: 'The App Secret (and your verify token as verifyToken)', where: 'Meta App Dashboard → App settings → Basic → App secret' },
  handshake: 'meta',
  requires: ['verifyToken'],
  sensitiveQuery: ['hub.verify_token'],
};
