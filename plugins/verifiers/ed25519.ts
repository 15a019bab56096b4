/**
 * `ed25519`: an Ed25519 signature (RFC 8032) in a header, checked with the
 * provider's public key. Discord signs `{timestamp}{body}` and sends hex in
 * `X-Signature-Ed25519`; Telnyx signs `{timestamp}|{body}` and sends base64 in
 * `telnyx-signature-ed25519`. Keys are the 32 raw bytes in hex (Discord's
 * "Public Key") or base64 (Telnyx), or a PEM `PUBLIC KEY`.
 * https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { cannotSign, checkPublicKeySettings, publicKeySettingsSchema, verifyWithPublicKeys, type PublicKeySettings } from './public-key-signature';
import { secretList } from './schema';
import type { Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export interface Ed25519Config extends PublicKeySettings {
  type: 'ed25519';
  publicKeys: Secret[];
}

export type Ed25519Scheme = Omit<Ed25519Config, 'type' | 'publicKeys'>;

const configSchema = Type.Object(
  { type: Type.Literal('ed25519'), publicKeys: secretList(1), ...publicKeySettingsSchema() },
  { additionalProperties: false },
);

const RAW_KEY_BYTES = 32;

/** A raw 32-byte key (hex or base64) or a PEM SubjectPublicKeyInfo, as a KeyObject. */
export function ed25519PublicKey(text: string): KeyObject | undefined {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('-----BEGIN')) {
      const key = createPublicKey(trimmed);
      return key.asymmetricKeyType === 'ed25519' ? key : undefined;
    }
    const raw = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
    if (raw.length !== RAW_KEY_BYTES) return undefined;
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return undefined;
  }
}

function verify(context: VerifyContext, config: Ed25519Config): VerifyResult {
  return verifyWithPublicKeys(context, config, config.publicKeys, ed25519PublicKey, (key, data, signature) => signature.length === 64 && cryptoVerify(null, data, key, signature));
}

export const ed25519Verifier: VerifierPlugin<Ed25519Config> = {
  name: 'ed25519',
  configSchema,
  secretFields: ['publicKeys'],
  check: (config) => checkPublicKeySettings(config, config.publicKeys, 'publicKeys', ed25519PublicKey, 'an Ed25519 public key: 32 bytes in hex or base64, or PEM'),
  verify,
  sign: cannotSign,
  sensitiveHeaders: (config) => [config.header.toLowerCase()],
};
