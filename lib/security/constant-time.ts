/**
 * The one place where secrets, signatures, tokens, passwords and usernames are
 * compared. Everything else calls `safeEqual` (or `safeEqualAny`) so that a code
 * search for comparisons of secrets has exactly one answer.
 */
import { timingSafeEqual } from 'node:crypto';

function toBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/**
 * Constant-time equality for two secrets. The length check returns early, which
 * reveals only the length of the expected value (public for signatures and
 * digests); the bytes themselves are compared with `crypto.timingSafeEqual`.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = toBuffer(a);
  const right = toBuffer(b);
  if (left.length !== right.length) return false;
  return timingSafeEqual(left, right);
}

/**
 * True when `value` equals any of `candidates`. Every candidate is compared,
 * whatever the earlier results, so the time taken does not reveal which one
 * matched (or how far down the list it was).
 */
export function safeEqualAny(value: string | Buffer, candidates: ReadonlyArray<string | Buffer>): boolean {
  let matched = false;
  for (const candidate of candidates) {
    matched = safeEqual(value, candidate) || matched;
  }
  return matched;
}
