/**
 * What an import that names a connection actually sends: the connection's base
 * URL with the import's path appended, and the connection's inherited headers
 * with the import's own headers overriding them by name (case-insensitive).
 * Computed when the import is compiled, so changing the connection changes
 * every import that uses it without touching them.
 */
import type { ConnectionSettings } from './connection-schema';

/**
 * `https://api.example/v1` + `/orders` → `https://api.example/v1/orders`. One
 * slash between the two whatever either side carries; a path that starts with
 * `?` or `#` is appended as is; an empty path is the base URL itself.
 */
export function joinUrl(baseUrl: string, path: string | null | undefined): string {
  if (!path) return baseUrl;
  if (path.startsWith('?') || path.startsWith('#')) return baseUrl + path;
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Headers of a connection under a list of overriding headers (later names win, compared case-insensitively). */
export function mergeHeaders<T extends { name: string; value: string; private: boolean }>(
  inherited: ReadonlyArray<{ name: string; value: string; private: boolean }>,
  own: readonly T[],
): Array<{ name: string; value: string; private: boolean }> {
  const overridden = new Set(own.map((h) => h.name.toLowerCase()));
  return [
    ...inherited.filter((h) => !overridden.has(h.name.toLowerCase())).map(({ name, value, private: isPrivate }) => ({ name, value, private: isPrivate })),
    ...own,
  ];
}

/** The headers of a connection that its imports inherit. */
export function inheritedHeaders(connection: ConnectionSettings): ConnectionSettings['headers'] {
  return connection.headers.filter((h) => h.inherit);
}
