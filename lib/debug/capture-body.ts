/**
 * A request or response body as a debug entry keeps it (SPEC §13): at most
 * 1 MiB, as text when the bytes are valid UTF-8 and as base64 otherwise, with
 * a flag when it was cut. Secrets are scrubbed before the cut, so a secret that
 * straddles the 1 MiB mark cannot leave its first half behind.
 */
import { isUtf8 } from 'node:buffer';
import type { Scrubber } from '../security/redact';

export const MAX_CAPTURED_BODY_BYTES = 1024 * 1024;

/** Bytes read past the limit so that a secret crossing it is still seen whole. */
const SCRUB_MARGIN = 4096;

export interface CapturedBody {
  /** `utf8`: `content` is the text; `base64`: the bytes are not valid UTF-8 and `content` is their base64. */
  encoding: 'utf8' | 'base64';
  content: string;
  /** Size of the body as received, in bytes. */
  bytes: number;
  /** True when `content` holds only the first 1 MiB. */
  truncated: boolean;
  /** `raw`: the bytes as received; `parsed`: the parsed body as JSON, after masking the redact paths. */
  source: 'raw' | 'parsed';
}

/** The body bytes as received, scrubbed and limited. */
export function captureRaw(raw: Buffer, scrubber: Scrubber, max = MAX_CAPTURED_BODY_BYTES): CapturedBody {
  const truncated = raw.length > max;
  const window = truncated ? raw.subarray(0, max + SCRUB_MARGIN) : raw;
  const text = utf8Text(window, truncated);
  if (text !== undefined) {
    return { encoding: 'utf8', content: cutUtf8(scrubber.text(text), max), bytes: raw.length, truncated, source: 'raw' };
  }
  const bytes = scrubber.bytes(window);
  return { encoding: 'base64', content: bytes.subarray(0, max).toString('base64'), bytes: raw.length, truncated, source: 'raw' };
}

/** The parsed body re-serialised as JSON (after path masking), scrubbed and limited. */
export function captureParsed(json: string, originalBytes: number, scrubber: Scrubber, max = MAX_CAPTURED_BODY_BYTES): CapturedBody {
  const content = scrubber.text(json);
  const cut = cutUtf8(content, max);
  return { encoding: 'utf8', content: cut, bytes: originalBytes, truncated: cut.length < content.length, source: 'parsed' };
}

/** The bytes as text when they are UTF-8; a window cut at the limit may end inside a character. */
function utf8Text(bytes: Buffer, cut: boolean): string | undefined {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  if (!cut) return undefined;
  for (let drop = 1; drop <= 3 && drop < bytes.length; drop++) {
    const shorter = bytes.subarray(0, bytes.length - drop);
    if (isUtf8(shorter)) return shorter.toString('utf8');
  }
  return undefined;
}

/** At most `max` bytes of `text`, cut before a character, never inside one. */
function cutUtf8(text: string, max: number): string {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short texts need no encoding to check.
  if (text.length * 3 <= max) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= max) return text;
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}
