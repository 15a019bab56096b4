/**
 * Dedup (SPEC §9): the key of a request, from a header or a JSONPath into the
 * parsed body. A request without the key is not deduplicated.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { queryPath } from '../json-path';
import type { DedupSource } from './runtime-listener';

export function dedupKeyOf(source: DedupSource, headers: IncomingHttpHeaders, body: unknown): string | undefined {
  if (source.kind === 'header') {
    // Own headers only: `header:constructor` must not find Object.prototype's member in every request.
    const value = Object.hasOwn(headers, source.name) ? headers[source.name] : undefined;
    const single = Array.isArray(value) ? value[0] : value;
    return single ? `h:${single}` : undefined;
  }
  const [value] = queryPath(source.path, body);
  if (value === undefined || value === null || value === '') return undefined;
  return `j:${typeof value === 'string' ? value : JSON.stringify(value)}`;
}
