/**
 * Vonage Messages and Voice signed webhooks: `Authorization: Bearer <HS256 JWT>`
 * signed with the account's signature secret, with `payload_hash` the hex
 * SHA-256 of the raw body.
 * https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks
 */
import type { JwtPreset } from './types';

export const vonagePreset: JwtPreset = {
  name: 'vonage',
  displayName: 'Vonage (signed webhooks)',
  scheme: 'jwt',
  docs: 'https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks',
  settings: {
    header: 'authorization',
    algorithms: ['HS256'],
    bodyHashClaim: 'payload_hash',
    bodyHashEncoding: 'hex',
  },
  secret: { what: 'The signature secret', where: 'Dashboard → API Settings → Signature secret' },
};
