import crypto from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random id of `length` characters from [a-z0-9], from the cryptographic source.
 * Rejection sampling keeps every character uniform (256 is not a multiple of 36).
 */
export function randomId(length = 32): string {
  let id = '';
  while (id.length < length) {
    const byte = nextRandomByte();
    if (byte >= 252) continue;
    id += ALPHABET[byte % 36];
  }
  return id;
}

// One call into the CSPRNG per 4 KiB of ids instead of one per id: ids are made per request.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function nextRandomByte(): number {
  if (poolOffset === pool.length) {
    crypto.randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

export const ID_PATTERN = '^[a-z0-9]{32}$';
export const isId = (value: string): boolean => /^[a-z0-9]{32}$/.test(value);

/** Request ids: accepted from `X-Request-Id` when sane, else made here. */
export function requestIdFrom(header: string | string[] | undefined): string {
  if (typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header)) return header;
  return crypto.randomUUID();
}
