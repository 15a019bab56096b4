/**
 * Chooses the charset of an XML body. A `charset` on the Content-Type wins (the
 * spec honours it for every text format); without one, the byte order mark and
 * then the encoding declaration decide, as in XML 1.0 Appendix F
 * (https://www.w3.org/TR/xml/#sec-guessing); otherwise UTF-8.
 */
const DECLARATION_HEAD_BYTES = 256;
const ENCODING_DECLARATION = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;

export function xmlCharset(raw: Buffer, headerCharset: string | undefined): string | undefined {
  if (headerCharset !== undefined) return headerCharset;
  if (raw.length >= 2 && raw[0] === 0xff && raw[1] === 0xfe) return 'utf-16le';
  if (raw.length >= 2 && raw[0] === 0xfe && raw[1] === 0xff) return 'utf-16be';
  // "<?" in an ASCII-compatible encoding; the declaration itself is ASCII.
  if (raw[0] === 0x3c && raw[1] === 0x3f) {
    const head = raw.toString('latin1', 0, Math.min(raw.length, DECLARATION_HEAD_BYTES));
    const declared = ENCODING_DECLARATION.exec(head)?.[1].toLowerCase();
    // A declaration read as ASCII cannot be true if it names a 16- or 32-bit
    // encoding; it is usually a document re-encoded to UTF-8 without updating it.
    if (declared !== undefined && !/^(utf-?(16|32)|ucs-?[24])/.test(declared)) return declared;
  }
  return undefined;
}
