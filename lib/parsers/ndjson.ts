/**
 * Newline-delimited JSON (https://github.com/ndjson/ndjson-spec, also served as
 * JSON Lines): one JSON value per line, parsed into an array. Blank lines are
 * skipped; CRLF line ends are accepted.
 */
import { AppError } from '../errors';
import { decodeText } from './charset';
import { findProtoKey, mayContainProtoKey, protoKeyDetail } from './forbidden-keys';
import { describeJsonError } from './json-error';
import { assertDepth } from './json-depth';
import { DEFAULT_PARSE_LIMITS } from './types';
import { inSlices } from '../slices';
import type { BodyParser, ParseContext } from './types';

const MEDIA_TYPES: ReadonlySet<string> = new Set(['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines']);

/** Bodies longer than this (characters) are parsed in slices that let the event loop turn. */
const SLICED_PARSE_CHARS = 256 * 1024;

export function parseNdjsonText(text: string, maxDepth = DEFAULT_PARSE_LIMITS.maxDepth): unknown[] {
  const lines = text.split('\n');
  const checkProto = mayContainProtoKey(text);
  const values: unknown[] = [];
  for (let index = 0; index < lines.length; index += 1) parseLine(lines, index, maxDepth, checkProto, values);
  if (values.length === 0) throw new AppError('ERR_MALFORMED_BODY', 'empty body');
  return values;
}

/** `parseNdjsonText` for a large body: lines are parsed in slices (#11 finding 1). */
export async function parseNdjsonTextInSlices(text: string, maxDepth = DEFAULT_PARSE_LIMITS.maxDepth): Promise<unknown[]> {
  const lines = text.split('\n');
  const checkProto = mayContainProtoKey(text);
  const values: unknown[] = [];
  await inSlices(lines.length, (from, to) => {
    for (let index = from; index < to; index += 1) parseLine(lines, index, maxDepth, checkProto, values);
  });
  if (values.length === 0) throw new AppError('ERR_MALFORMED_BODY', 'empty body');
  return values;
}

/** Parses line `index` (blank lines are skipped) onto `values`. */
function parseLine(lines: readonly string[], index: number, maxDepth: number, checkProto: boolean, values: unknown[]): void {
  const line = lines[index].endsWith('\r') ? lines[index].slice(0, -1) : lines[index];
  if (line.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    // describeJsonError sees a single line, so its "line 1" is replaced by ours.
    const detail = describeJsonError(error, line).replace(/^line 1, /, '');
    throw new AppError('ERR_MALFORMED_BODY', `NDJSON line ${index + 1} is malformed at ${detail}`);
  }
  assertDepth(line, maxDepth, `NDJSON line ${index + 1}`);
  if (checkProto) {
    const where = findProtoKey(value);
    if (where !== undefined) throw new AppError('ERR_MALFORMED_BODY', `NDJSON line ${index + 1} contains ${protoKeyDetail(where)}`);
  }
  values.push(value);
}

export const ndjsonParser: BodyParser = {
  name: 'ndjson',
  matches: (mediaType) => MEDIA_TYPES.has(mediaType),
  parse(raw: Buffer, context: ParseContext): unknown {
    const text = decodeText(raw, context.charset);
    return text.length > SLICED_PARSE_CHARS ? parseNdjsonTextInSlices(text, context.limits.maxDepth) : parseNdjsonText(text, context.limits.maxDepth);
  },
};
