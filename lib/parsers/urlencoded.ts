/**
 * application/x-www-form-urlencoded bodies and URL query strings
 * (https://url.spec.whatwg.org/#application/x-www-form-urlencoded), nested by
 * FormBuilder's bracket rules. Malformed percent-escapes are kept as written and
 * invalid byte sequences become U+FFFD, as browsers and URLSearchParams do, so
 * only the limits and the shape rules can make a form a 400.
 */
import { AppError } from '../errors';
import { decodeBytesLeniently, decodeText, isUtf8Label } from './charset';
import { FormBuilder } from './form-builder';
import { DEFAULT_PARSE_LIMITS, type BodyParser, type ParseContext } from './types';

/** Most `name=value` pairs accepted in one form or query string (qs's and body-parser's default). */
export const MAX_FORM_PARAMETERS = 1000;

const PERCENT_ESCAPE = /%[0-9a-fA-F]{2}/;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** Slow path: runs of %XX become bytes decoded in `charset`; anything else stays as it is. */
function percentDecodeLeniently(text: string, charset: string | undefined): string {
  let output = '';
  let index = 0;
  while (index < text.length) {
    const percent = text.indexOf('%', index);
    if (percent === -1) break;
    output += text.slice(index, percent);
    const bytes: number[] = [];
    let cursor = percent;
    while (cursor + 2 < text.length && text[cursor] === '%') {
      const high = hexValue(text.charCodeAt(cursor + 1));
      const low = hexValue(text.charCodeAt(cursor + 2));
      if (high === -1 || low === -1) break;
      bytes.push(high * 16 + low);
      cursor += 3;
    }
    if (bytes.length === 0) {
      output += '%';
      index = percent + 1;
    } else {
      output += decodeBytesLeniently(Buffer.from(bytes), charset);
      index = cursor;
    }
  }
  return output + text.slice(index);
}

/** Decodes one name or value: `+` is a space, then percent-decoding. */
function decodeFormComponent(component: string, charset?: string): string {
  const spaced = component.includes('+') ? component.replaceAll('+', ' ') : component;
  if (!spaced.includes('%')) return spaced;
  if (isUtf8Label(charset)) {
    try {
      return decodeURIComponent(spaced);
    } catch {
      // A stray "%" or invalid UTF-8: decode the lenient way below.
    }
  }
  if (!PERCENT_ESCAPE.test(spaced)) return spaced;
  return percentDecodeLeniently(spaced, charset);
}

/**
 * Parses `a=1&b[c]=2` into an object. `source` names the input in error details.
 * Throws ERR_MALFORMED_BODY for more than MAX_FORM_PARAMETERS pairs, nesting
 * deeper than `maxDepth`, prototype-polluting names, or a name used with two shapes.
 */
export function parseFormText(text: string, maxDepth: number, charset?: string, source = 'form field'): Record<string, unknown> {
  const builder = new FormBuilder(maxDepth, source);
  let count = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      count += 1;
      if (count > MAX_FORM_PARAMETERS) {
        throw new AppError('ERR_MALFORMED_BODY', `more than ${MAX_FORM_PARAMETERS} ${source}s`);
      }
      const pair = text.slice(start, end);
      const equals = pair.indexOf('=');
      const rawName = equals === -1 ? pair : pair.slice(0, equals);
      const rawValue = equals === -1 ? '' : pair.slice(equals + 1);
      const name = decodeFormComponent(rawName, charset);
      if (name !== '') builder.add(name, decodeFormComponent(rawValue, charset));
    }
    start = end + 1;
  }
  return builder.result;
}

/**
 * Parses a URL query string (with or without the leading "?") by the form rules.
 * Used for GET requests, whose query string is the body, and for `query` in
 * verifier and template contexts.
 */
export function parseQueryString(query: string, maxDepth: number = DEFAULT_PARSE_LIMITS.maxDepth): Record<string, unknown> {
  return parseFormText(query.startsWith('?') ? query.slice(1) : query, maxDepth, undefined, 'query parameter');
}

export const urlencodedParser: BodyParser = {
  name: 'urlencoded',
  matches: (mediaType) => mediaType === 'application/x-www-form-urlencoded',
  parse(raw: Buffer, context: ParseContext): unknown {
    return parseFormText(decodeText(raw, context.charset), context.limits.maxDepth, context.charset);
  },
};
