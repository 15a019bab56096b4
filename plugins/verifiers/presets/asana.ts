/**
 * Asana: `X-Hook-Signature`, the hex HMAC-SHA256 of the raw body keyed with the
 * `X-Hook-Secret` of the creation handshake. The asana handshake answers it and
 * keeps that secret when the listener has none yet (trust on first use).
 * https://developers.asana.com/docs/webhooks-guide#security
 */
import type { HmacPreset } from './types';

export const asanaPreset: HmacPreset = {
  name: 'asana',
  displayName: 'Asana',
  scheme: 'hmac',
  docs: 'https://developers.asana.com/docs/webhooks-guide#security',
  settings: { algorithm: 'sha256', encoding: 'hex', header: 'x-hook-signature' },
  secret: { what: "Nothing: create the listener with \"secrets\": [] and Asana's handshake hands the X-Hook-Secret over, which hookport keeps", where: 'Sent by Asana in the handshake when the webhook is created (POST /webhooks)' },
  handshake: 'asana',
};
