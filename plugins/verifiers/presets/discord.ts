/**
 * Discord interactions and webhook events: `X-Signature-Ed25519`, a hex Ed25519
 * signature of `{X-Signature-Timestamp}{raw body}` under the application's public
 * key. Discord documents no window; hookport applies its default 300 s. PINGs are
 * answered by the discord handshake after the signature check.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
import type { Ed25519Preset } from './types';

export const discordPreset: Ed25519Preset = {
  name: 'discord',
  displayName: 'Discord',
  scheme: 'ed25519',
  docs: 'https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers',
  settings: {
    header: 'x-signature-ed25519',
    signatureEncoding: 'hex',
    signedContent: '{timestamp}{body}',
    timestampHeader: 'x-signature-timestamp',
  },
  secret: { what: "The application's Public Key (hex)", where: 'Developer Portal → your application → General Information → Public Key' },
  handshake: 'discord',
};
