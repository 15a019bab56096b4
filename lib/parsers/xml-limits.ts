/**
 * Nesting depth and attributes per element of XML text, checked BEFORE the
 * validator and the parser see it.
 * fast-xml-parser's validator answers a document of 1.7M unclosed `<a>` after
 * seconds, with an error listing every open tag (17 MB; #11 finding 8); the
 * parser's own depth limit comes only after validation. This one pass stops at
 * the first tag past `maxDepth`. It is not a validator: markup it does not
 * understand is left for the validator to refuse.
 *
 * Skipped as no nesting: comments (`<!-- -->`), CDATA (`<![CDATA[ ]]>`),
 * declarations (`<!DOCTYPE …>`, whose internal subset may hold `>` in quotes or
 * brackets), processing instructions (`<? ?>`), and self-closing tags. Quoted
 * attribute values may hold `>` (https://www.w3.org/TR/xml/#NT-AttValue).
 *
 * Attributes: fast-xml-parser's time grows faster than linearly with the
 * attributes of one element (one element with 400,000 attributes, 4.7 MiB, took
 * over 15 s; #11 findings 1 and 3), and an element becomes one object with a key
 * per attribute, which every later step walks. No real document comes near
 * MAX_ATTRIBUTES on one element.
 */
import { AppError } from '../errors';
import { positionOf } from './text-position';

/** Most attributes one element may carry. */
export const MAX_XML_ATTRIBUTES = 1000;

/** What the scan found first: a tag past `maxDepth`, or one with more than MAX_XML_ATTRIBUTES attributes. */
interface Excess {
  index: number;
  what: 'depth' | 'attributes';
}

/** `=` signs outside quotes in the last tag `endOfMarkup` scanned: its attributes. */
let attributesOfLastTag = 0;

/** The first tag that opens deeper than `maxDepth` or carries too many attributes, or undefined. */
function firstExcess(text: string, maxDepth: number): Excess | undefined {
  let depth = 0;
  let index = text.indexOf('<');
  while (index !== -1 && index < text.length) {
    const next = text.charCodeAt(index + 1);
    let end: number;
    if (next === 47 /* / */) {
      depth--;
      end = text.indexOf('>', index);
    } else if (text.startsWith('<!--', index)) {
      end = text.indexOf('-->', index + 4);
      if (end !== -1) end += 2;
    } else if (text.startsWith('<![CDATA[', index)) {
      end = text.indexOf(']]>', index + 9);
      if (end !== -1) end += 2;
    } else if (next === 63 /* ? */) {
      end = text.indexOf('?>', index + 2);
      if (end !== -1) end += 1;
    } else if (next === 33 /* ! */) {
      end = endOfMarkup(text, index + 2, true);
    } else {
      end = endOfMarkup(text, index + 1, false);
      if (end === -1) return undefined;
      if (attributesOfLastTag > MAX_XML_ATTRIBUTES) return { index, what: 'attributes' };
      if (text.charCodeAt(end - 1) !== 47 /* / */ && ++depth > maxDepth) return { index, what: 'depth' };
    }
    if (end === -1) return undefined;
    index = text.indexOf('<', end + 1);
  }
  return undefined;
}

/** Index of the `>` ending a tag or declaration, skipping quoted values (and, in a declaration, a [ ] subset). */
function endOfMarkup(text: string, from: number, declaration: boolean): number {
  let quote = 0;
  let brackets = 0;
  attributesOfLastTag = 0;
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (quote !== 0) {
      if (code === quote) quote = 0;
    } else if (code === 34 || code === 39) {
      quote = code;
    } else if (code === 61 /* = */) {
      attributesOfLastTag++;
    } else if (declaration && code === 91 /* [ */) {
      brackets++;
    } else if (declaration && code === 93 /* ] */) {
      brackets--;
    } else if (code === 62 /* > */ && brackets <= 0) {
      return index;
    }
  }
  return -1;
}

export function assertXmlLimits(text: string, maxDepth: number): void {
  const excess = firstExcess(text, maxDepth);
  if (excess === undefined) return;
  const { line, column } = positionOf(text, excess.index);
  throw new AppError('ERR_MALFORMED_BODY', excess.what === 'depth'
    ? `XML is nested deeper than ${maxDepth} levels at line ${line}, column ${column}`
    : `XML element at line ${line}, column ${column} has more than ${MAX_XML_ATTRIBUTES} attributes`);
}
