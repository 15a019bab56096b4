/**
 * Splits a Content-Type header into what the parsers need
 * (https://www.rfc-editor.org/rfc/rfc9110#section-8.3.1):
 *   type "/" subtype *( OWS ";" OWS parameter ), parameter = token "=" ( token / quoted-string )
 * Type, subtype and parameter names are case-insensitive, so they are lower-cased;
 * the header itself is kept as sent because a multipart boundary is case-sensitive.
 */
export interface ContentType {
  /** Lower-cased `type/subtype` without parameters; '' when the header is missing. */
  mediaType: string;
  /** Lower-cased `charset` parameter, unquoted, when present. */
  charset: string | undefined;
  /** The whole header as sent; '' when missing. */
  contentType: string;
}

// Sticky: matched at a parameter's start through lastIndex.
const CHARSET_PARAMETER = /\s*charset\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]*))/iy;

/** Finds the charset among the parameters, stepping over quoted strings that may contain ";". */
function charsetOf(header: string, from: number): string | undefined {
  let index = from;
  while (index < header.length) {
    // `index` is just after a ";".
    CHARSET_PARAMETER.lastIndex = index;
    const match = CHARSET_PARAMETER.exec(header);
    if (match) {
      const value = match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2];
      return value.trim().toLowerCase() || undefined;
    }
    let quoted = false;
    while (index < header.length) {
      const char = header[index];
      if (quoted && char === '\\') index += 1;
      else if (char === '"') quoted = !quoted;
      else if (!quoted && char === ';') break;
      index += 1;
    }
    index += 1;
  }
  return undefined;
}

export function parseContentType(header: string | undefined): ContentType {
  if (header === undefined) return { mediaType: '', charset: undefined, contentType: '' };
  const semicolon = header.indexOf(';');
  if (semicolon === -1) return { mediaType: header.trim().toLowerCase(), charset: undefined, contentType: header };
  return {
    mediaType: header.slice(0, semicolon).trim().toLowerCase(),
    charset: charsetOf(header, semicolon + 1),
    contentType: header,
  };
}
