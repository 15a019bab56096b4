/**
 * The entity decoder handed to fast-xml-parser. It expands only the five
 * predefined entities and numeric character references
 * (https://www.w3.org/TR/xml/#sec-predefined-ent, #sec-references) and ignores
 * every entity a DOCTYPE declares: an undeclared-by-us reference such as
 * `&lol9;` stays in the text as written. That makes billion-laughs and external
 * entity (XXE) documents harmless: nothing is ever expanded or fetched.
 */
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/g;

/** The Char production of XML 1.0 (https://www.w3.org/TR/xml/#NT-Char). */
function isXmlChar(codePoint: number): boolean {
  return (
    codePoint === 0x9 ||
    codePoint === 0xa ||
    codePoint === 0xd ||
    (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
    (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
    (codePoint >= 0x10000 && codePoint <= 0x10ffff)
  );
}

function replaceReference(reference: string, name: string | undefined, decimal: string | undefined, hex: string | undefined): string {
  if (name !== undefined) return PREDEFINED[name];
  const codePoint = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex as string, 16);
  // A reference to a character XML forbids (NUL, a lone surrogate) is left as written.
  return isXmlChar(codePoint) ? String.fromCodePoint(codePoint) : reference;
}

/** One pass, so `&amp;lt;` becomes `&lt;` and is not decoded again. */
export function decodeXmlReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, replaceReference);
}

/** Shape of fast-xml-parser's `entityDecoder` option (EntityDecoderOptions in its typings). */
export const builtInEntitiesOnly = Object.freeze({
  setExternalEntities(): void {},
  addInputEntities(): void {},
  reset(): void {},
  setXmlVersion(): void {},
  decode: decodeXmlReferences,
});
