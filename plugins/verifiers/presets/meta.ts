/**
 * Meta (Facebook, Instagram, WhatsApp Cloud API): HMAC-SHA256 of the raw body
 * under the app secret, `X-Hub-Signature-256: sha256=<hex>`. Subscribing sends a
 * GET with `hub.mode=subscribe`, `hub.verify_token` and `hub.challenge`; the
 * verify token is chosen by the integrator, so it is required here.
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 * Payloads batch several entries and carry no delivery id: no default dedup key.
 */
import { metaHandshakes } from '../handshakes';
import type { HmacPreset } from './types';

export const metaPreset: HmacPreset = {
  name: 'meta',
  scheme: 'hmac',
  docs: 'https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads',
  hmac: { algorithm: 'sha256', encoding: 'hex', header: 'x-hub-signature-256', prefix: 'sha256=' },
  accepts: ['verifyToken'],
  requires: ['verifyToken'],
  handshakes: (config) => (config.verifyToken === undefined ? [] : metaHandshakes(config.verifyToken)),
  sensitiveQuery: ['hub.verify_token'],
};
