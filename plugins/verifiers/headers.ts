/**
 * Reading request headers and query parameters the same way in every verifier.
 * Only own properties count: Node's `req.headers` and a parsed query inherit
 * from Object.prototype, and `constructor` or `toString` is not something the
 * sender sent.
 */
import type { HeaderMap } from '../../lib/verification/plugin';

/** The header's value (Node lower-cases names); repeated headers are joined with `, ` as RFC 9110 allows. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const key = name.toLowerCase();
  const value = Object.hasOwn(headers, key) ? headers[key] : undefined;
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A query parameter as one string: the first value when repeated, numbers stringified. */
export function queryValue(query: Record<string, unknown>, name: string): string | undefined {
  const value = Object.hasOwn(query, name) ? query[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first;
  if (typeof first === 'number' || typeof first === 'boolean') return String(first);
  return undefined;
}

/** The query string of an absolute or relative URL, parsed (undefined when there is none). */
export function searchParamsOf(url: string): URLSearchParams {
  const question = url.indexOf('?');
  if (question === -1) return new URLSearchParams();
  const hash = url.indexOf('#', question);
  return new URLSearchParams(url.slice(question + 1, hash === -1 ? undefined : hash));
}

/** Appends `name=value` to the query of a path suffix such as `` or `/secret?a=1`. */
export function appendQuery(pathSuffix: string, name: string, value: string): string {
  const separator = pathSuffix.includes('?') ? '&' : '?';
  return `${pathSuffix}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
}
