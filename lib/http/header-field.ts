/**
 * Header fields an integrator saves (import headers, listener response headers,
 * connection headers): checked when saved, so that a bad one is a 400 naming the
 * field instead of a request that cannot be sent (#11 finding 9: a CRLF in an
 * import header value was accepted, and every delivery then failed, retried).
 *
 * RFC 9110 §5.1: a field name is a token. §5.5: a field value is visible ASCII,
 * obs-text (0x80–0xFF), spaces and tabs: never CR, LF or NUL (RFC 9110 §5.5 says
 * a recipient must reject or replace them; Node refuses to send them), nor a
 * character above 0xFF, which has no single-octet form.
 */
import type { FieldError } from '../errors';

export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** The value rule as a JSON Schema pattern, so that schemas (and the OpenAPI document) say it too. */
export const HEADER_VALUE_PATTERN = '^[\\t\\x20-\\x7e\\x80-\\xff]*$';
const HEADER_VALUE = new RegExp(HEADER_VALUE_PATTERN);

/** Problems with one header field (empty when it is fine); `path` is the field's JSON pointer. */
export function checkHeaderField(name: string, value: string, path: { name: string; value: string }): FieldError[] {
  const errors: FieldError[] = [];
  if (!HEADER_NAME.test(name)) errors.push({ path: path.name, message: 'is not an HTTP header name (RFC 9110 token characters only)' });
  if (!HEADER_VALUE.test(value)) {
    errors.push({ path: path.value, message: 'holds a character an HTTP header value may not (CR, LF, NUL, another control character, or one above U+00FF)' });
  }
  return errors;
}

/** `checkHeaderField` over a list of `{ name, value }` at `basePath` (`/headers/0/name`, …). */
export function checkHeaderList(headers: ReadonlyArray<{ name: string; value: string }>, basePath: string): FieldError[] {
  return headers.flatMap((header, index) =>
    checkHeaderField(header.name, header.value, { name: `${basePath}/${index}/name`, value: `${basePath}/${index}/value` }),
  );
}

/** `checkHeaderField` over a `{ name: value }` map at `basePath` (`/response/headers/X-Name`). */
export function checkHeaderMap(headers: Readonly<Record<string, string>>, basePath: string): FieldError[] {
  return Object.entries(headers).flatMap(([name, value]) =>
    checkHeaderField(name, value, { name: `${basePath}/${name}`, value: `${basePath}/${name}` }),
  );
}
