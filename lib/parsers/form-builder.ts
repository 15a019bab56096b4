/**
 * Builds a nested object from flat form fields, shared by urlencoded forms,
 * query strings and multipart fields, with the rules Rails, PHP and qs made
 * familiar:
 *   a=1&a=2          -> { a: ['1', '2'] }        (a repeated key becomes an array)
 *   a[]=1&a[]=2      -> { a: ['1', '2'] }        (`[]` appends)
 *   a[b][c]=1        -> { a: { b: { c: '1' } } }
 *   a[][b]=1&a[][b]=2 -> { a: [{ b: '1' }, { b: '2' }] } (each `[]` starts a new element)
 * Numeric segments (`a[0]`) are plain object keys, never array indexes, so a
 * sender cannot make us allocate a sparse array. A key that is not
 * `name[seg]…` exactly (`[x]`, `a[b`, `a[b]c`) is taken literally.
 * Refused with 400: nesting deeper than the limit, a segment named __proto__,
 * constructor or prototype, and a key used with two shapes (`a=1&a[b]=2`).
 *
 * Why not `qs` (6.17, installed with Express): it merges a key used with two
 * shapes into an array (`a=1&a[b]=2` → `['1', { b: '2' }]`), drops prototype
 * keys silently, reads `a[5]` as an array index, merges `a[][b]=1&a[][b]=2` into
 * one element (`[{ b: ['1', '2'] }]`), and decodes only UTF-8 and ISO-8859-1;
 * multipart fields (whose values may be files) go through this builder too.
 */
import { AppError } from '../errors';
import { FORBIDDEN_KEYS } from './forbidden-keys';

type Container = Record<string, unknown> | unknown[];

/** Splits `a[b][]` into ['a', 'b', '']; '' means "append". */
export function splitFieldName(name: string): string[] {
  const open = name.indexOf('[');
  if (open <= 0) return [name];
  const segments = [name.slice(0, open)];
  let index = open;
  while (index < name.length) {
    if (name[index] !== '[') return [name];
    const close = name.indexOf(']', index + 1);
    if (close === -1) return [name];
    segments.push(name.slice(index + 1, close));
    index = close + 1;
  }
  return segments;
}

export class FormBuilder {
  readonly result: Record<string, unknown> = {};
  /** Objects this builder made for `[key]` nesting, as opposed to leaf values such as files. */
  private readonly nested = new WeakSet<object>();

  /** `source` names the input in error details: "form field", "query parameter". */
  constructor(
    private readonly maxDepth: number,
    private readonly source: string,
  ) {
    this.nested.add(this.result);
  }

  add(name: string, value: unknown): void {
    const segments = splitFieldName(name);
    if (segments.length > this.maxDepth) {
      throw new AppError('ERR_MALFORMED_BODY', `${this.source} "${name}" is nested deeper than ${this.maxDepth} levels`);
    }
    for (const segment of segments) {
      if (FORBIDDEN_KEYS.has(segment)) {
        throw new AppError('ERR_MALFORMED_BODY', `${this.source} "${name}" is refused because "${segment}" can pollute object prototypes`);
      }
    }
    let holder: Container = this.result;
    const last = segments.length - 1;
    for (let index = 0; index < last; index += 1) {
      holder = this.child(holder, segments[index], segments[index + 1] === '', name);
    }
    this.assign(holder, segments[last], value, name);
  }

  private isNestedObject(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && this.nested.has(value);
  }

  private conflict(name: string): AppError {
    return new AppError('ERR_MALFORMED_BODY', `${this.source} "${name}" conflicts with an earlier ${this.source} of a different shape`);
  }

  private newContainer(asArray: boolean): Container {
    if (asArray) return [];
    const object: Record<string, unknown> = {};
    this.nested.add(object);
    return object;
  }

  /** The container under `segment`, created when missing. */
  private child(holder: Container, segment: string, wantArray: boolean, name: string): Container {
    if (Array.isArray(holder)) {
      if (segment !== '') throw this.conflict(name);
      const created = this.newContainer(wantArray);
      holder.push(created);
      return created;
    }
    if (segment === '') throw this.conflict(name);
    if (!Object.hasOwn(holder, segment)) {
      const created = this.newContainer(wantArray);
      holder[segment] = created;
      return created;
    }
    const existing = holder[segment];
    if (wantArray && Array.isArray(existing)) return existing;
    if (!wantArray && this.isNestedObject(existing)) return existing;
    if (wantArray && !this.isNestedObject(existing)) {
      // a=1&a[]=2: the earlier single value becomes the first element.
      const list = [existing];
      holder[segment] = list;
      return list;
    }
    throw this.conflict(name);
  }

  private assign(holder: Container, segment: string, value: unknown, name: string): void {
    if (Array.isArray(holder)) {
      if (segment !== '') throw this.conflict(name);
      holder.push(value);
      return;
    }
    if (segment === '') throw this.conflict(name);
    if (!Object.hasOwn(holder, segment)) {
      holder[segment] = value;
      return;
    }
    const existing = holder[segment];
    if (Array.isArray(existing)) existing.push(value);
    else if (this.isNestedObject(existing)) throw this.conflict(name);
    else holder[segment] = [existing, value];
  }
}
