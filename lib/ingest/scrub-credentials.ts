/**
 * A credential the partner sends to prove itself to hookport (a token in the
 * body or the query string) is not data for the flows: it is masked before the
 * body becomes records, the sample or job metadata.
 */
import { maskPaths, queryPath } from '../json-path';
import type { RequestContext } from './request-context';
import type { RuntimeListener } from './runtime-listener';

export const MASK = '****';

/** A copy of the query with the listener's credential parameters masked. */
export function maskQuery(query: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  if (names.length === 0) return query;
  let masked: Record<string, unknown> | undefined;
  for (const name of names) {
    if (!Object.hasOwn(query, name)) continue;
    masked ??= { ...query };
    masked[name] = MASK;
  }
  return masked ?? query;
}

/** A sample's headers: every one kept, credentials and signatures masked. */
export function maskSensitiveHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  sensitive: ReadonlySet<string> | undefined,
): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    masked[name] = sensitive?.has(name.toLowerCase()) ? MASK : value;
  }
  return masked;
}

/** Whether `scrubCredentials` would change anything for this request. */
export function carriesCredentials(listener: RuntimeListener, context: RequestContext): boolean {
  return listener.credentialBodyPaths.length > 0 || (context.bodyFromQuery && listener.sensitiveQuery.length > 0);
}

/**
 * The body to store. Structured bodies get the credential paths masked (and, for
 * a GET whose query is the body, the credential parameters). A pass-through body
 * is text: each credential value found in the parsed body is replaced in it.
 */
export async function scrubCredentials(context: RequestContext, body: unknown): Promise<unknown> {
  const { listener } = context;
  if (listener.settings.parsing.passThrough && typeof body === 'string') {
    if (listener.credentialBodyPaths.length === 0) return body;
    let parsed: unknown;
    try {
      parsed = await context.parsedBody();
    } catch {
      return body;
    }
    let text = body;
    for (const path of listener.credentialBodyPaths) {
      for (const value of queryPath(path, parsed)) {
        if (typeof value === 'string' && value.length > 0) text = text.split(value).join(MASK);
      }
    }
    return text;
  }
  let scrubbed = body;
  if (listener.credentialBodyPaths.length > 0) scrubbed = maskPaths(scrubbed, listener.credentialBodyPaths);
  if (context.bodyFromQuery && scrubbed && typeof scrubbed === 'object') {
    scrubbed = maskQuery(scrubbed as Record<string, unknown>, listener.sensitiveQuery);
  }
  return scrubbed;
}
