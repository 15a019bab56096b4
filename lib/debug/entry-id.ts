/**
 * Debug log entry ids: 32 characters [a-z0-9] (the shape of every hookport id)
 * that sort in capture order, so that "newest first" and the `before` cursor are
 * plain comparisons of ids in every store.
 *
 *   9 chars  capture time, ms since the epoch in base 36 (fixed width until year 5138)
 *   7 chars  a per-process counter, for entries captured in the same millisecond
 *  16 chars  random, so that two instances sharing a store never collide
 */
import { randomId } from '../ids';

const TIME_WIDTH = 9;
const COUNTER_WIDTH = 7;
const COUNTER_LIMIT = 36 ** COUNTER_WIDTH;

let counter = 0;

export function debugEntryId(capturedAtMs: number): string {
  counter = (counter + 1) % COUNTER_LIMIT;
  return (
    Math.max(0, Math.floor(capturedAtMs)).toString(36).padStart(TIME_WIDTH, '0') +
    counter.toString(36).padStart(COUNTER_WIDTH, '0') +
    randomId(32 - TIME_WIDTH - COUNTER_WIDTH)
  );
}

export const DEBUG_ENTRY_ID = /^[a-z0-9]{32}$/;
