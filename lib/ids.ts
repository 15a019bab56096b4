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

const TIME_WIDTH = 9;
const COUNTER_WIDTH = 7;
const COUNTER_LIMIT = 36 ** COUNTER_WIDTH;
let counter = 0;

/**
 * A 32-character [a-z0-9] id that sorts in creation order:
 *   9 chars  time, ms since the epoch in base 36 (fixed width until year 5138)
 *   7 chars  a per-process counter, for ids made in the same millisecond
 *  16 chars  random, so that two instances sharing a store never collide
 * Used where ids are written at a high rate (jobs, debug entries): new ids land
 * at the end of the store's indexes instead of on a random page each.
 */
export function timeOrderedId(timeMs: number): string {
  counter = (counter + 1) % COUNTER_LIMIT;
  return (
    Math.max(0, Math.floor(timeMs)).toString(36).padStart(TIME_WIDTH, '0') +
    counter.toString(36).padStart(COUNTER_WIDTH, '0') +
    randomId(32 - TIME_WIDTH - COUNTER_WIDTH)
  );
}

/** Request ids: accepted from `X-Request-Id` when sane, else made here. */
export function requestIdFrom(header: string | string[] | undefined): string {
  if (typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header)) return header;
  return crypto.randomUUID();
}
