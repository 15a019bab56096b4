/**
 * Asana: `X-Hook-Signature`, the hex HMAC-SHA256 of the raw body keyed with the
 * `X-Hook-Secret` of the creation handshake (answered by the asana handshake).
 * https://developers.asana.com/docs/webhooks-guide#security
 */
import type { HmacPreset } from './types';

export const asanaPreset: HmacPreset = {
  name: 'asana',
  displayName: 'Asana',
  scheme: 'hmac',
  docs: 'https://developers.asana.com/docs/webhooks-guide#security',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hook-signature' },
  secret: { what: 'The X-Hook-Secret of the webhook handshake', where: 'The debug log of the handshake request Asana sent when the webhook was created' },
  handshake: 'asana',
};
