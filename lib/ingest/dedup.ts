/**
 * Dedup (SPEC §9): the key of a request, from a header or a JSONPath into the
 * parsed body. A request without the key is not deduplicated.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { queryPath } from '../json-path';
import type { StoredResponse, Store } from '../store/store';
import type { RequestContext } from './request-context';
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

export interface DedupLookup {
  /** The request's dedup key, when the listener deduplicates and the request carries one. */
  key: string | undefined;
  /** What the first request with this key was answered, within the window. */
  original: StoredResponse | undefined;
}

/** The dedup stage: the key, and the original answer when this request is a duplicate. */
export async function findDuplicate(store: Store, context: RequestContext, body: unknown, receivedAt: number): Promise<DedupLookup> {
  const { listener, req } = context;
  const key = listener.dedup ? dedupKeyOf(listener.dedup, req.headers, body) : undefined;
  if (!key) return { key, original: undefined };
  const original = await store.findDedup(listener.id, key, new Date(receivedAt).toISOString());
  return { key, original: original ?? undefined };
}
