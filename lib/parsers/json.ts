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
import { assertDepth, assertDepthInSlices } from './json-depth';
import { DEFAULT_PARSE_LIMITS } from './types';
import type { BodyParser, ParseContext } from './types';

export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'));
}

/** Bodies longer than this (characters) are depth-scanned in slices that let the event loop turn. */
const SLICED_SCAN_CHARS = 256 * 1024;

/** Parses JSON text; throws ERR_MALFORMED_BODY with line and column, for a "__proto__" key, or for nesting past maxDepth. */
export function parseJsonText(text: string, maxDepth = DEFAULT_PARSE_LIMITS.maxDepth): unknown {
  const value = parseOnly(text);
  assertDepth(text, maxDepth);
  return withoutProtoKey(text, value);
}

/** `parseJsonText` for a large body: the depth scan runs in slices (#11 finding 1). */
export async function parseJsonTextInSlices(text: string, maxDepth = DEFAULT_PARSE_LIMITS.maxDepth): Promise<unknown> {
  const value = parseOnly(text);
  await assertDepthInSlices(text, maxDepth);
  return withoutProtoKey(text, value);
}

function parseOnly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (text.trim() === '') throw new AppError('ERR_MALFORMED_BODY', 'empty body');
    throw new AppError('ERR_MALFORMED_BODY', `JSON is malformed at ${describeJsonError(error, text)}`);
  }
}

function withoutProtoKey(text: string, value: unknown): unknown {
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
    const text = decodeText(raw, context.charset);
    return text.length > SLICED_SCAN_CHARS ? parseJsonTextInSlices(text, context.limits.maxDepth) : parseJsonText(text, context.limits.maxDepth);
  },
};
