/**
 * The HMAC computation shared by the generic hmac verifier and the presets that
 * need their own code (Stripe, Standard Webhooks, Twilio).
 */
import { createHmac } from 'node:crypto';

export const HMAC_ALGORITHMS = ['sha1', 'sha256', 'sha384', 'sha512'] as const;
export type HmacAlgorithm = (typeof HMAC_ALGORITHMS)[number];

export const DIGEST_ENCODINGS = ['hex', 'base64', 'base64url'] as const;
export type DigestEncoding = (typeof DIGEST_ENCODINGS)[number];

/** HMAC over the concatenation of `parts`; string parts are UTF-8, buffers are used byte for byte. */
export function hmacDigest(algorithm: HmacAlgorithm, key: string | Buffer, parts: ReadonlyArray<string | Buffer>): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

export function encodeDigest(digest: Buffer, encoding: DigestEncoding): string {
  return digest.toString(encoding);
}

/**
 * Puts a received signature in the canonical spelling of its encoding, so that
 * an equivalent spelling is not refused: hex is case-insensitive, and base64url
 * is often sent without padding (Node never pads it).
 */
export function canonicalSignature(signature: string, encoding: DigestEncoding): string {
  if (encoding === 'hex') return signature.toLowerCase();
  if (encoding === 'base64url') return signature.replace(/=+$/, '');
  return signature;
}
