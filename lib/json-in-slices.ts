/**
 * JSON text of a value that may be large (a 5 MB request body kept as the
 * listener's sample, a single record holding a whole flat XML document), built
 * in pieces that let the event loop turn between them (slices.ts). One
 * JSON.stringify or one canonical serialisation of such a value held the loop
 * for tens of ms (#11 finding 1).
 *
 * Containers are walked here until one holds at most SMALL_NODES values in all
 * (a long string counts as one value per KiB); that one is serialised in one
 * call. The walk that decides stops as soon as a container is not small, so the
 * extra work stays in proportion to the value. A string longer than
 * STRING_PIECE (a base64 file from a multipart body) is serialised in pieces.
 * Only JSON data is expected (what body parsers produce: objects, arrays,
 * strings, numbers, booleans, null). No cycle detection (parsed bodies have
 * none); one level of recursion per level of nesting (bodies are depth-limited
 * by the parsers).
 */
import { TurnBudget } from './slices';

/** A value holding at most this many values (at every level) is serialised in one call. */
const SMALL_NODES = 256;
/** Longest string serialised in one call, in UTF-16 code units. */
const STRING_PIECE = 64 * 1024;
/** Work between two looks at the clock: a piece counts one, plus one per KiB of its text. */
const WORK_PER_LOOK = 64;
/** Pieces joined into one string at a time: one join of 100,000s of pieces held the loop too. */
const PIECES_PER_JOIN = 4096;

/** True when `value` holds at most SMALL_NODES values (a string one per KiB); stops counting past that. */
export function isSmall(value: unknown): boolean {
  let budget = SMALL_NODES;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') budget -= next.length >> 10;
    else if (next !== null && typeof next === 'object') {
      const items = Array.isArray(next) ? next : Object.values(next);
      budget -= items.length;
      if (budget < 0) return false;
      for (const item of items) stack.push(item);
    }
    if (budget < 0) return false;
  }
  return true;
}

/**
 * JSON with object keys sorted, so that key order does not change it (trace-key
 * hashes). Members whose value has no JSON form are left out; in arrays they are null.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${text}]`;
  }
  let text = '{';
  let first = true;
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function') continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${text}}`;
}

export interface PieceOptions {
  /** `canonicalJson`'s text (sorted keys) instead of JSON.stringify's. */
  canonical?: boolean;
}

/**
 * Calls `onPiece` with the pieces of the value's JSON text, in order, letting the
 * event loop turn whenever this task used its turn budget. Joined, the pieces are
 * JSON.stringify(value) (or canonicalJson(value)); nothing is called for a value
 * that JSON.stringify leaves undefined.
 */
export async function forEachJsonPiece(value: unknown, options: PieceOptions, onPiece: (piece: string) => void): Promise<void> {
  const budget = new TurnBudget();
  let sinceLook = 0;
  for (const piece of pieces(value, options.canonical === true)) {
    onPiece(piece);
    sinceLook += 1 + (piece.length >> 10);
    if (sinceLook >= WORK_PER_LOOK) {
      sinceLook = 0;
      await budget.pause();
    }
  }
}

/** JSON.stringify(value), built in slices. */
export async function stringifyInSlices(value: unknown): Promise<string | undefined> {
  const joined: string[] = [];
  let parts: string[] = [];
  await forEachJsonPiece(value, {}, (piece) => {
    parts.push(piece);
    if (parts.length >= PIECES_PER_JOIN) {
      joined.push(parts.join(''));
      parts = [];
    }
  });
  joined.push(parts.join(''));
  const text = joined.join('');
  return text === '' ? undefined : text;
}

function* pieces(input: unknown, canonical: boolean): Generator<string> {
  const value = !canonical && hasToJson(input) ? input.toJSON() : input;
  if (typeof value === 'string' && value.length > STRING_PIECE) {
    yield* stringPieces(value);
    return;
  }
  // An object's keys are listed once here (listing a large object's keys is itself costly).
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : undefined;
  if (value === null || typeof value !== 'object' || ((keys ?? (value as unknown[])).length <= SMALL_NODES && isSmall(value))) {
    const text = canonical ? canonicalJson(value) : JSON.stringify(value);
    if (text !== undefined) yield text;
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) yield ',';
      let empty = true;
      for (const piece of pieces(value[index], canonical)) {
        empty = false;
        yield piece;
      }
      // As JSON.stringify: an array item that has no JSON form is null.
      if (empty) yield 'null';
    }
    yield ']';
    return;
  }
  if (canonical) keys!.sort();
  yield '{';
  let first = true;
  for (const key of keys!) {
    const member = (value as Record<string, unknown>)[key];
    if (canonical && (member === undefined || typeof member === 'function')) continue;
    let started = false;
    for (const piece of pieces(member, canonical)) {
      if (!started) {
        // As JSON.stringify: a member that has no JSON form is left out.
        yield `${first ? '' : ','}${JSON.stringify(key)}:`;
        started = true;
        first = false;
      }
      yield piece;
    }
  }
  yield '}';
}

/** JSON.stringify(text) in pieces, never cutting a surrogate pair (a lone half would be escaped). */
function* stringPieces(text: string): Generator<string> {
  yield '"';
  for (let from = 0; from < text.length; ) {
    let to = Math.min(text.length, from + STRING_PIECE);
    const last = text.charCodeAt(to - 1);
    if (to < text.length && last >= 0xd800 && last <= 0xdbff) to -= 1;
    yield JSON.stringify(text.slice(from, to)).slice(1, -1);
    from = to;
  }
  yield '"';
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
