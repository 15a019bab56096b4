/**
 * Nesting depth of JSON text, checked after JSON.parse accepted it. V8 parses
 * very deep documents, but everything after (records, canonical hashing,
 * JSON.stringify of pages) recurses and would overflow the stack with a 500;
 * a sender gets a 400 naming the place instead. One pass, no recursion.
 */
import { AppError } from '../errors';
import { positionOf } from './text-position';

const OPEN_BRACE = 123;
const OPEN_BRACKET = 91;
const CLOSE_BRACE = 125;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;

/** The index where `text` first nests deeper than `maxDepth`, or -1. */
export function tooDeepAt(text: string, maxDepth: number): number {
  // Nesting deeper than maxDepth needs more than maxDepth opening characters.
  if (text.length <= maxDepth * 2) return -1;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
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
  return -1;
}

export function assertDepth(text: string, maxDepth: number, what = 'JSON'): void {
  const index = tooDeepAt(text, maxDepth);
  if (index === -1) return;
  const { line, column } = positionOf(text, index);
  throw new AppError('ERR_MALFORMED_BODY', `${what} is nested deeper than ${maxDepth} levels at line ${line}, column ${column}`);
}
