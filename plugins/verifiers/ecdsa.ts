/**
 * `ecdsa`: an ECDSA P-256 / SHA-256 signature (DER, base64) in a header,
 * checked with the provider's public key. SendGrid's Event Webhook signs
 * `{timestamp}{body}` and shows the key as base64 DER SubjectPublicKeyInfo
 * ("Verification Key"); a PEM `PUBLIC KEY` is accepted too.
 * https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { cannotSign, checkPublicKeySettings, publicKeySettingsSchema, verifyWithPublicKeys, type PublicKeySettings } from './public-key-signature';
import { secretList } from './schema';
import type { Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export interface EcdsaConfig extends PublicKeySettings {
  type: 'ecdsa';
  publicKeys: Secret[];
}

export type EcdsaScheme = Omit<EcdsaConfig, 'type' | 'publicKeys'>;

const configSchema = Type.Object(
  { type: Type.Literal('ecdsa'), publicKeys: secretList(1), ...publicKeySettingsSchema() },
  { additionalProperties: false },
);

/** A P-256 public key from PEM or from base64 DER SubjectPublicKeyInfo. */
export function p256PublicKey(text: string): KeyObject | undefined {
  const trimmed = text.trim();
  try {
    const key = trimmed.startsWith('-----BEGIN')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : undefined;
  } catch {
    return undefined;
  }
}

function verify(context: VerifyContext, config: EcdsaConfig): VerifyResult {
  return verifyWithPublicKeys(context, config, config.publicKeys, p256PublicKey, (key, data, signature) => {
    try {
      return cryptoVerify('sha256', data, { key, dsaEncoding: 'der' }, signature);
    } catch {
      return false; // a signature that is not DER
    }
  });
}

export const ecdsaVerifier: VerifierPlugin<EcdsaConfig> = {
  name: 'ecdsa',
  configSchema,
  secretFields: ['publicKeys'],
  check: (config) => checkPublicKeySettings(config, config.publicKeys, 'publicKeys', p256PublicKey, 'a P-256 public key: base64 DER (as SendGrid shows it) or PEM'),
  verify,
  sign: cannotSign,
  sensitiveHeaders: (config) => [config.header.toLowerCase()],
};
