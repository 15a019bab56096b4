/** The filter stage (SPEC §5 Filters): whether the request matches the listener's `filter` conditions. */
import type { RequestContext } from './request-context';

export function passesFilter(context: RequestContext, body: unknown): boolean {
  const { listener, req } = context;
  return !listener.filter || listener.filter({ method: req.method, headers: req.headers, query: context.query, body });
}
