/**
 * text/xml, application/xml and every "+xml" media type (RFC 7303), through fast-xml-parser.
 *
 * Shape of the result: the root element is the single top-level key; attributes
 * sit beside child elements under an `@_` prefix; repeated children become
 * arrays; mixed text is under `#text`; tag case is kept.
 *
 * Values stay strings: no number or boolean coercion, because XML has no types
 * and coercion corrupts data such as ZIP codes ("02134"), ids with leading
 * zeros and long account numbers. Schemas and templates downstream convert
 * where they mean to.
 *
 * Safety: only the five predefined entities and numeric character references
 * are expanded (see xml-entities.ts); nesting deeper than `limits.maxDepth`,
 * more than 1,000 attributes on one element, and element names that could
 * pollute prototypes are refused.
 */
import { XMLParser, XMLValidator, type X2jOptions } from 'fast-xml-parser';
import { AppError } from '../errors';
import { decodeText } from './charset';
import { FORBIDDEN_KEYS } from './forbidden-keys';
import { builtInEntitiesOnly } from './xml-entities';
import { xmlCharset } from './xml-charset';
import { assertXmlLimits } from './xml-limits';
import { parseXmlInWorker } from './parse-pool';
import type { BodyParser, ParseContext } from './types';

export function isXmlMediaType(mediaType: string): boolean {
  const slash = mediaType.indexOf('/');
  if (slash <= 0) return false;
  const subtype = mediaType.slice(slash + 1);
  return subtype === 'xml' || subtype.endsWith('+xml');
}

function refuseForbiddenName(tagName: string): string {
  if (FORBIDDEN_KEYS.has(tagName)) {
    throw new AppError('ERR_MALFORMED_BODY', `XML element <${tagName}> is refused because its name can pollute object prototypes`);
  }
  return tagName;
}

function createParser(maxDepth: number): XMLParser {
  const options: X2jOptions = {
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    processEntities: true,
    entityDecoder: builtInEntitiesOnly,
    transformTagName: refuseForbiddenName,
    // Callbacks get the parser's path matcher instead of a path string built per tag.
    jPath: false,
    updateTag(tagName, matcher) {
      if (typeof matcher !== 'string' && matcher.getDepth() > maxDepth) {
        throw new AppError('ERR_MALFORMED_BODY', `XML is nested deeper than ${maxDepth} levels`);
      }
      return tagName;
    },
    // Our own depth check above fires first; this is the library's backstop.
    maxNestedTags: maxDepth + 1,
  };
  return new XMLParser(options);
}

const parsersByDepth = new Map<number, XMLParser>();

function parserFor(maxDepth: number): XMLParser {
  let parser = parsersByDepth.get(maxDepth);
  if (parser === undefined) {
    parser = createParser(maxDepth);
    parsersByDepth.set(maxDepth, parser);
  }
  return parser;
}

/** Parses XML text; throws ERR_MALFORMED_BODY with line and column for malformed XML. */
export function parseXmlText(text: string, maxDepth: number): unknown {
  if (text.trim() === '') throw new AppError('ERR_MALFORMED_BODY', 'empty body');
  // Before the validator, which takes seconds over a deep document or a crowded element (see xml-limits.ts).
  assertXmlLimits(text, maxDepth);
  // The parser is lenient (it accepts mismatched tags), so validate first;
  // the validator is also what knows line and column.
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { line, col, msg } = validation.err;
    const where = col === undefined ? `line ${line}` : `line ${line}, column ${col}`;
    throw new AppError('ERR_MALFORMED_BODY', `XML is malformed at ${where}: ${msg}`);
  }
  try {
    return parserFor(maxDepth).parse(text);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('ERR_MALFORMED_BODY', `XML is malformed: ${(error as Error).message}`);
  }
}

/** Decodes (by the Content-Type charset, the byte order mark or the declaration) and parses an XML body. */
export function parseXmlBytes(raw: Buffer, headerCharset: string | undefined, maxDepth: number): unknown {
  return parseXmlText(decodeText(raw, xmlCharset(raw, headerCharset)), maxDepth);
}

/**
 * Bodies larger than this are parsed on a worker thread (parse-pool.ts): past
 * it, fast-xml-parser would hold the event loop for more than a few ms.
 */
export const XML_WORKER_BYTES = 64 * 1024;

export const xmlParser: BodyParser = {
  name: 'xml',
  matches: isXmlMediaType,
  parse(raw: Buffer, context: ParseContext): unknown {
    if (raw.length > XML_WORKER_BYTES) return parseXmlInWorker(raw, context.charset, context.limits.maxDepth);
    return parseXmlBytes(raw, context.charset, context.limits.maxDepth);
  },
};
