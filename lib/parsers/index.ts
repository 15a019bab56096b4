/**
 * The body parser registry and the one entry point the ingest stage calls.
 * Parsers are listed explicitly (no directory scanning); a duplicate name
 * fails at start-up.
 */
import { AppError } from '../errors';
import { parseContentType } from './content-type';
import { jsonParser } from './json';
import { multipartParser } from './multipart';
import { ndjsonParser } from './ndjson';
import type { BodyParser, ParseLimits } from './types';
import { urlencodedParser } from './urlencoded';
import { xmlParser } from './xml';

export { parseContentType, type ContentType } from './content-type';
export { parseQueryString } from './urlencoded';
export { DEFAULT_PARSE_LIMITS, type BodyParser, type ParseContext, type ParseLimits } from './types';

/** Freezes a list of parsers after checking that every name is unique. */
export function createParserRegistry(parsers: readonly BodyParser[]): readonly BodyParser[] {
  const names = new Set<string>();
  for (const parser of parsers) {
    if (names.has(parser.name)) throw new Error(`body parser "${parser.name}" is registered twice`);
    names.add(parser.name);
  }
  return Object.freeze([...parsers]);
}

/** JSON first: it is by far the most common webhook body. */
export const PARSERS: readonly BodyParser[] = createParserRegistry([jsonParser, urlencodedParser, xmlParser, multipartParser, ndjsonParser]);

export function findParser(mediaType: string): BodyParser | undefined {
  for (const parser of PARSERS) {
    if (parser.matches(mediaType)) return parser;
  }
  return undefined;
}

/**
 * Parses a request body by its Content-Type.
 * An empty body without a Content-Type parses to `{}` (a POST with nothing in
 * it, as `curl -X POST` sends); a non-empty one, or any unknown type, is
 * ERR_UNSUPPORTED_MEDIA_TYPE. Parser errors (ERR_MALFORMED_BODY,
 * ERR_PAYLOAD_TOO_LARGE, ERR_UNSUPPORTED_MEDIA_TYPE for a charset) pass through.
 */
export async function parseBody(raw: Buffer, contentTypeHeader: string | undefined, limits: ParseLimits): Promise<unknown> {
  const { mediaType, charset, contentType } = parseContentType(contentTypeHeader);
  if (mediaType === '' && raw.length === 0) return {};
  const parser = findParser(mediaType);
  if (parser === undefined) {
    throw new AppError('ERR_UNSUPPORTED_MEDIA_TYPE', `Content-Type "${contentType}" is not supported; send JSON, XML, form or multipart`);
  }
  return parser.parse(raw, { mediaType, charset, contentType, limits });
}
