/**
 * Headers may be written in either form wherever hookport takes them: a list
 * `[{ "name": "X-A", "value": "1" }]` (imports and connections store this form,
 * with `private` per header) or an object `{ "X-A": "1" }` (listener responses and
 * handshake answers store that one). Each is turned into the stored form before
 * validation, so the schema and its messages stay one. Anything else is left as
 * it is, for validation to name.
 */
import { isPlainObject } from '../schema';

/** `{ "X-A": "1" }` or `{ "X-A": { "value": "1", "private": true } }` → `[{ name, value, … }]`. */
export function headersAsList(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  return Object.entries(value).map(([name, entry]) => (isPlainObject(entry) ? { name, ...entry } : { name, value: entry }));
}

/** `[{ "name": "X-A", "value": "1" }]` → `{ "X-A": "1" }`, when every item is such a pair. */
export function headersAsObject(value: unknown): unknown {
  if (!Array.isArray(value) || !value.every((item) => isPlainObject(item) && typeof item.name === 'string' && 'value' in item)) return value;
  const result: Record<string, unknown> = {};
  for (const item of value as Array<{ name: string; value: unknown }>) {
    Object.defineProperty(result, item.name, { value: item.value, enumerable: true, writable: true, configurable: true });
  }
  return result;
}

/** Applies `convert` to `holder[key]` when `holder` is an object that has it. */
export function convertMember(holder: unknown, key: string, convert: (value: unknown) => unknown): void {
  if (isPlainObject(holder) && key in holder) holder[key] = convert(holder[key]);
}

/** Converts the headers at `path` (e.g. ['response', 'headers']) of a request body in place; for a route's `prepareBody`. */
export function headersAt(path: readonly string[], convert: (value: unknown) => unknown): (body: unknown) => unknown {
  return (body) => {
    let holder: unknown = body;
    for (const key of path.slice(0, -1)) holder = isPlainObject(holder) ? holder[key] : undefined;
    convertMember(holder, path[path.length - 1]!, convert);
    return body;
  };
}
