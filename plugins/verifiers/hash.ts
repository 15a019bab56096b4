/**
 * `hash`: a plain digest (not an HMAC) of text that includes the secret, e.g.
 * HubSpot's v1 signature `sha256hex(clientSecret + body)` and v2
 * `sha256hex(clientSecret + method + url + body)`, or Cloudinary's
 * `sha1hex(body + timestamp + apiSecret)`. `signedContent` must place
 * `{secret}`; everything else (signature headers, prefixes, timestamps and the
 * replay check) works as in the hmac verifier (signed-digest.ts).
 * https://developers.hubspot.com/docs/api/webhooks/validating-requests
 *
 * Prefer hmac wherever the sender offers it: a plain hash of secret + message
 * is open to length extension for SHA-1/SHA-256, which matters little here
 * (the attacker would have to sign a body that starts with the original one)
 * but is why senders moved on.
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { secretList, stringEnum } from './schema';
import { checkDigestSettings, digestSettingsSchema, signatureHeaders, signDigest, verifyDigest, type DigestFunction, type DigestSettings } from './signed-digest';
import { renderSignedContent } from './signed-content';
import type { OutgoingRequest, Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export const HASH_ALGORITHMS = ['sha1', 'sha256', 'sha512'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

export interface HashConfig extends DigestSettings {
  type: 'hash';
  algorithm: HashAlgorithm;
  secrets: Secret[];
}

/** The hash settings without the secrets: what a preset fixes as data. */
export type HashScheme = Omit<HashConfig, 'type' | 'secrets'>;

const configSchema = Type.Object(
  {
    type: Type.Literal('hash'),
    algorithm: stringEnum(HASH_ALGORITHMS),
    secrets: secretList(1),
    ...digestSettingsSchema(),
  },
  { additionalProperties: false },
);

function digestFor(config: HashConfig): DigestFunction {
  return (secret, values, segments) => {
    const rendered = renderSignedContent(segments, { ...values, secret: Buffer.from(secret, 'utf8') });
    return rendered.ok ? createHash(config.algorithm).update(rendered.content).digest() : undefined;
  };
}

function verify(context: VerifyContext, config: HashConfig): VerifyResult | Promise<VerifyResult> {
  return verifyDigest(context, config, config.secrets, digestFor(config));
}

function sign(request: OutgoingRequest, config: HashConfig, now: number, publicUrl: string): OutgoingRequest {
  return signDigest(request, config, config.secrets, digestFor(config), now, publicUrl);
}

export const hashVerifier: VerifierPlugin<HashConfig> = {
  name: 'hash',
  configSchema,
  secretFields: ['secrets'],
  check: (config) => checkDigestSettings(config, 'required'),
  verify,
  sign,
  sensitiveHeaders: (config) => signatureHeaders(config),
};
