/**
 * What the `ed25519` and `ecdsa` verifiers share: a signature in a header over a
 * signed-content template (usually `{timestamp}{body}`), checked with the
 * provider's public key, with the same timestamp and replay rules as the hmac
 * verifier. The keys are public, so they are not secrets in the cryptographic
 * sense, but they are stored and rotated like secrets (a list, `expiresAt`).
 *
 * hookport holds no private key, so it cannot sign as the provider: `sign`
 * throws, and the test-request endpoint answers 422.
 */
import { type KeyObject } from 'node:crypto';
import { Type, type TProperties } from '@sinclair/typebox';
import { headerValue, queryValue } from './headers';
import { headerName, stringEnum } from './schema';
import { matchSecrets, SECRET_EXPIRED } from '../../lib/verification/secrets';
import { parseSignedContent, renderSignedContent, uses } from './signed-content';
import { DEFAULT_SIGNED_CONTENT, DEFAULT_TOLERANCE_SECONDS, segmentsOf } from './signed-digest';
import { checkTolerance, readTimestamp, TIMESTAMP_FORMATS, type TimestampFormat } from './timestamp';
import type { Secret, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export interface PublicKeySettings {
  header: string;
  signatureEncoding: 'hex' | 'base64';
  signedContent?: string;
  timestampHeader?: string;
  timestampFormat?: TimestampFormat;
  toleranceSeconds?: number;
}

export function publicKeySettingsSchema(): TProperties {
  return {
    header: headerName('The header that carries the signature, e.g. X-Signature-Ed25519'),
    signatureEncoding: stringEnum(['hex', 'base64'] as const),
    signedContent: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'e.g. {timestamp}{body}' })),
    timestampHeader: Type.Optional(headerName('The header that carries the signing time')),
    timestampFormat: Type.Optional(stringEnum(TIMESTAMP_FORMATS)),
    toleranceSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 604800 })),
  };
}

/** Verifies `signature` over `data` with one key; false for a malformed signature. */
export type SignatureCheck = (key: KeyObject, data: Buffer, signature: Buffer) => boolean;

/** Decodes a configured key; undefined when it is not a key of this kind. */
export type KeyDecoder = (text: string) => KeyObject | undefined;

export function verifyWithPublicKeys(context: VerifyContext, settings: PublicKeySettings, keys: readonly Secret[], decode: KeyDecoder, check: SignatureCheck): VerifyResult {
  const header = settings.header.toLowerCase();
  const value = headerValue(context.headers, header)?.trim();
  if (value === undefined || value.length === 0) return { ok: false, reason: `missing signature header ${header}` };
  const signature = Buffer.from(value, settings.signatureEncoding);
  if (signature.length === 0) return { ok: false, reason: `signature header ${header} is not ${settings.signatureEncoding}` };

  let timestamp: string | undefined;
  if (settings.timestampHeader !== undefined) {
    const name = settings.timestampHeader.toLowerCase();
    const raw = headerValue(context.headers, name);
    const parsed = readTimestamp(raw, `header ${name}`, true, settings.timestampFormat ?? 'unix');
    if (!parsed.ok) return parsed;
    const outside = checkTolerance(parsed.seconds, context.now(), settings.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
    if (outside !== undefined) return { ok: false, reason: outside };
    timestamp = raw!.trim();
  }
  const rendered = renderSignedContent(segmentsOf(settings), {
    body: context.rawBody,
    timestamp,
    url: context.url,
    method: context.method,
    header: (name) => headerValue(context.headers, name),
    query: (name) => queryValue(context.query, name),
  });
  if (!rendered.ok) return { ok: false, reason: rendered.reason };
  const match = matchSecrets(keys, context.now(), (key) => {
    const publicKey = decode(key.value);
    return publicKey !== undefined && check(publicKey, rendered.content, signature);
  });
  if (match === 'active') return { ok: true };
  if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
  return { ok: false, reason: `signature mismatch: the ${header} signature does not verify under any active public key` };
}

export function checkPublicKeySettings(settings: PublicKeySettings, keys: readonly Secret[], keysField: string, decode: KeyDecoder, expected: string): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  const parsed = parseSignedContent(settings.signedContent ?? DEFAULT_SIGNED_CONTENT);
  if (!parsed.ok) errors.push({ path: '/signedContent', message: parsed.error });
  else {
    if (uses(parsed.segments, 'secret')) errors.push({ path: '/signedContent', message: 'must not contain {secret}: a public key signs nothing secret' });
    if (uses(parsed.segments, 'timestamp') !== (settings.timestampHeader !== undefined)) {
      errors.push({ path: '/signedContent', message: settings.timestampHeader === undefined ? 'uses {timestamp}, which needs timestampHeader' : 'must contain {timestamp} when timestampHeader is set, so the timestamp is signed' });
    }
  }
  if (settings.timestampHeader === undefined && settings.toleranceSeconds !== undefined) errors.push({ path: '/toleranceSeconds', message: 'has no effect without timestampHeader' });
  keys.forEach((key, index) => {
    if (decode(key.value) === undefined) errors.push({ path: `/${keysField}/${index}`, message: `must be ${expected}` });
  });
  return errors;
}

export function cannotSign(): never {
  throw new Error("hookport holds only the provider's public key, so it cannot sign as the provider");
}
