/**
 * application/json and application/*+json (RFC 8259, RFC 6839 §3.1).
 *
 * The hot path: decode (Buffer#toString for UTF-8), one substring check, then
 * JSON.parse with no reviver. Only a body that may contain a "__proto__" key is
 * walked after parsing.
 */
import { AppError } from '../errors';
import { decodeText } from './charset';
import { findProtoKey, mayContainProtoKey, protoKeyDetail } from './forbidden-keys';
import { describeJsonError } from './json-error';
import { assertDepth } from './json-depth';
import { DEFAULT_PARSE_LIMITS } from './types';
import type { BodyParser, ParseContext } from './types';

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

/** Parses JSON text; throws ERR_MALFORMED_BODY with line and column, for a "__proto__" key, or for nesting past maxDepth. */
export function parseJsonText(text: string, maxDepth = DEFAULT_PARSE_LIMITS.maxDepth): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') throw new AppError('ERR_MALFORMED_BODY', 'empty body');
    throw new AppError('ERR_MALFORMED_BODY', `JSON is malformed at ${describeJsonError(error, text)}`);
  }
  assertDepth(text, maxDepth);
  if (mayContainProtoKey(text)) {
    const where = findProtoKey(value);
    if (where !== undefined) throw new AppError('ERR_MALFORMED_BODY', `JSON contains ${protoKeyDetail(where)}`);
  }
  return value;
}

export const jsonParser: BodyParser = {
  name: 'json',
  matches: isJsonMediaType,
  parse(raw: Buffer, context: ParseContext): unknown {
    if (raw.length === 0) throw new AppError('ERR_MALFORMED_BODY', 'empty body');
    return parseJsonText(decodeText(raw, context.charset), context.limits.maxDepth);
  },
};
