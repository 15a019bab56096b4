/**
 * Nesting depth of JSON text, checked after JSON.parse accepted it. V8 parses
 * very deep documents, but everything after (records, canonical hashing,
 * JSON.stringify of pages) recurses and would overflow the stack with a 500;
 * a sender gets a 400 naming the place instead. One pass, no recursion.
 */
import { AppError } from '../errors';
import { inSlices } from '../slices';
import { positionOf } from './text-position';

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/** Where a scan stands between two windows of text (see `tooDeepAtInSlices`). */
interface ScanState {
  index: number;
  depth: number;
  inString: boolean;
}

/** Scans `text` from `state.index` to `end` (or a little past, after an escape); the index past `maxDepth`, or -1. */
function scan(text: string, maxDepth: number, state: ScanState, end: number): number {
  let { depth, inString } = state;
  let index = state.index;
  for (; index < end; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) return index;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
  state.index = index;
  state.depth = depth;
  state.inString = inString;
  return -1;
}

/** The index where `text` first nests deeper than `maxDepth`, or -1. */
export function tooDeepAt(text: string, maxDepth: number): number {
  // Nesting deeper than maxDepth needs more than maxDepth opening characters.
  if (text.length <= maxDepth * 2) return -1;
  return scan(text, maxDepth, { index: 0, depth: 0, inString: false }, text.length);
}

/** Characters scanned between two looks at the clock. */
const WINDOW = 256 * 1024;

/**
 * `tooDeepAt` for a large body, scanned in windows that let the event loop turn
 * (slices.ts): the scan of a 5 MB body took 35–60 ms in one piece (#11 finding 1).
 */
export async function tooDeepAtInSlices(text: string, maxDepth: number): Promise<number> {
  if (text.length <= maxDepth * 2) return -1;
  const state: ScanState = { index: 0, depth: 0, inString: false };
  let found = -1;
  await inSlices(Math.ceil(text.length / WINDOW), (_from, to) => {
    if (found === -1) found = scan(text, maxDepth, state, Math.min(text.length, to * WINDOW));
  }, undefined, 1);
  return found;
}

export function assertDepth(text: string, maxDepth: number, what = 'JSON'): void {
  const index = tooDeepAt(text, maxDepth);
  if (index !== -1) throw tooDeep(text, index, maxDepth, what);
}

/** `assertDepth` in slices, for a large body. */
export async function assertDepthInSlices(text: string, maxDepth: number, what = 'JSON'): Promise<void> {
  const index = await tooDeepAtInSlices(text, maxDepth);
  if (index !== -1) throw tooDeep(text, index, maxDepth, what);
}

function tooDeep(text: string, index: number, maxDepth: number, what: string): AppError {
  const { line, column } = positionOf(text, index);
  return new AppError('ERR_MALFORMED_BODY', `${what} is nested deeper than ${maxDepth} levels at line ${line}, column ${column}`);
}
