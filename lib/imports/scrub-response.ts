/**
 * Private values out of what a destination answered (#11 finding 5a). A
 * destination that echoes request headers in its body (many error pages do)
 * would otherwise have a private header value stored in clear in delivery
 * errors, shown to the support role, returned by flow tests and rendered into
 * afterFlow replies. Every private value is replaced by `****` in the kept
 * status line, headers, body text and parsed JSON, in the forms an echo takes:
 * as is, JSON-escaped, percent-encoded, and, for `Scheme credentials` values
 * (`Bearer abc…`), the credentials alone.
 *
 * Reusable for any secret that goes out on a request (connections too): pass
 * the values to `secretForms` (lib/security/redact.ts) once, when the import is compiled.
 */
import type { ImportResponseDoc } from '../store/store';
import { scrubText } from '../security/redact';

function scrubValue(value: unknown, forms: readonly string[]): unknown {
  if (typeof value === 'string') return scrubText(value, forms);
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, forms));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(result, scrubText(key, forms), { value: scrubValue(item, forms), enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** A copy of `response` with every form in `forms` replaced by the mask. */
export function scrubResponse(response: ImportResponseDoc, forms: readonly string[]): ImportResponseDoc {
  if (forms.length === 0) return response;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = scrubText(value, forms);
  const scrubbed: ImportResponseDoc = { ...response, headers, body: scrubText(response.body, forms) };
  if (response.json !== undefined) scrubbed.json = scrubValue(response.json, forms);
  return scrubbed;
}
