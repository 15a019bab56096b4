/**
 * `hmac`: a keyed digest of the request in a header (SPEC §4). The default signed
 * content is the raw body; `signedContent` adds a timestamp, the URL, the
 * method, sorted form parameters, headers or query parameters (see
 * signed-content.ts). Many presets are this verifier with fixed settings
 * (presets/github.ts, slack.ts, …).
 *
 * Where signatures and timestamps are read from, and the replay check, are in
 * signed-digest.ts (shared with the `hash` verifier). Any signature matching
 * any active key passes, so senders rolling a key are accepted.
 *
 * `secretEncoding` says how a pasted secret becomes the key: `utf8` (default,
 * the text's bytes), `base64` (Airtable's macSecretBase64, Microsoft Teams; a
 * `whsec_` prefix is dropped first, as Standard Webhooks secrets are written)
 * or `hex`.
 */
import { Type } from '@sinclair/typebox';
import { hmacDigest, HMAC_ALGORITHMS, type HmacAlgorithm } from './hmac-digest';
import { secretList, stringEnum } from './schema';
import { checkDigestSettings, digestSettingsSchema, signatureHeaders, signDigest, verifyDigest, type DigestFunction, type DigestSettings } from './signed-digest';
import { renderSignedContent } from './signed-content';
import type { OutgoingRequest, Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export { DEFAULT_TOLERANCE_SECONDS, extractSignatures } from './signed-digest';

export const SECRET_ENCODINGS = ['utf8', 'base64', 'hex'] as const;
export type SecretEncoding = (typeof SECRET_ENCODINGS)[number];

export interface HmacConfig extends DigestSettings {
  type: 'hmac';
  algorithm: HmacAlgorithm;
  keys: Secret[];
  secretEncoding?: SecretEncoding;
}

/** The hmac settings without the keys: what a preset fixes as data. */
export type HmacScheme = Omit<HmacConfig, 'type' | 'keys'>;

const configSchema = Type.Object(
  {
    type: Type.Literal('hmac'),
    algorithm: stringEnum(HMAC_ALGORITHMS),
    keys: secretList(1),
    secretEncoding: Type.Optional(stringEnum(SECRET_ENCODINGS, 'How the secret becomes the key: utf8 (default), base64 (whsec_ prefix dropped) or hex')),
    ...digestSettingsSchema(),
  },
  { additionalProperties: false },
);

const WHSEC = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/** The HMAC key a pasted secret stands for. */
export function hmacKey(secret: string, encoding: SecretEncoding = 'utf8'): Buffer {
  if (encoding === 'hex') return Buffer.from(secret, 'hex');
  if (encoding === 'base64') return Buffer.from(secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret, 'base64');
  return Buffer.from(secret, 'utf8');
}

function keyProblem(secret: string, encoding: SecretEncoding): string | undefined {
  if (encoding === 'hex' && !HEX.test(secret)) return 'must be hex (an even number of 0-9, a-f), as secretEncoding is hex';
  if (encoding === 'base64') {
    const encoded = secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret;
    if (encoded.length === 0 || encoded.length % 4 !== 0 || !BASE64.test(encoded)) return 'must be base64 (optionally after whsec_), as secretEncoding is base64';
  }
  return undefined;
}

function digestFor(config: HmacConfig): DigestFunction {
  return (secret, values, segments) => {
    const rendered = renderSignedContent(segments, values);
    if (!rendered.ok) return undefined;
    return hmacDigest(config.algorithm, hmacKey(secret, config.secretEncoding), [rendered.content]);
  };
}

function verify(context: VerifyContext, config: HmacConfig): VerifyResult | Promise<VerifyResult> {
  return verifyDigest(context, config, config.keys, digestFor(config));
}

function sign(request: OutgoingRequest, config: HmacConfig, now: number, publicUrl: string): OutgoingRequest {
  return signDigest(request, config, config.keys, digestFor(config), now, publicUrl);
}

function check(config: HmacConfig): Array<{ path: string; message: string }> {
  const errors = checkDigestSettings(config, 'refused');
  const encoding = config.secretEncoding ?? 'utf8';
  config.keys.forEach((key, index) => {
    const problem = keyProblem(key.value, encoding);
    if (problem !== undefined) errors.push({ path: `/keys/${index}`, message: problem });
  });
  return errors;
}

export const hmacVerifier: VerifierPlugin<HmacConfig> = {
  name: 'hmac',
  configSchema,
  secretFields: ['keys'],
  check,
  verify,
  sign,
  sensitiveHeaders: (config) => signatureHeaders(config),
};
