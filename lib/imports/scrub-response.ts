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
 * the values to `privateForms` once, when the import is compiled.
 */
import type { ImportResponseDoc } from '../store/store';

export const SCRUBBED = '****';
/** Shorter credential parts are not scrubbed alone (they would match ordinary text). */
const MIN_PART_LENGTH = 8;

/** The strings to scrub for these private values, longest first. */
export function privateForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value === '') continue;
    const parts = [value];
    const credentials = /^\S+\s+(\S.*)$/.exec(value)?.[1];
    if (credentials && credentials.length >= MIN_PART_LENGTH) parts.push(credentials);
    for (const part of parts) {
      forms.add(part);
      forms.add(JSON.stringify(part).slice(1, -1));
      forms.add(encodeURIComponent(part));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function scrubText(text: string, forms: readonly string[]): string {
  let result = text;
  for (const form of forms) if (result.includes(form)) result = result.split(form).join(SCRUBBED);
  return result;
}

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

/** A copy of `response` with every form in `forms` replaced by `****`. */
export function scrubResponse(response: ImportResponseDoc, forms: readonly string[]): ImportResponseDoc {
  if (forms.length === 0) return response;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = scrubText(value, forms);
  const scrubbed: ImportResponseDoc = { ...response, headers, body: scrubText(response.body, forms) };
  if (response.json !== undefined) scrubbed.json = scrubValue(response.json, forms);
  return scrubbed;
}
