/**
 * Records and pages (SPEC §8): select the records of a parsed body, drop the ones
 * `records.filter` rejects, give each a trace key (and data URI), and cut them into
 * pages for the store.
 *
 * The order of work for one request is
 *   selectRecords → filterRecords → traceKeys / dataUris → paginate
 * and each record is serialised exactly once, in `paginate`; the page's JSON text is
 * built from those strings and handed to the store as is.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import { checkPath, queryPath } from '../json-path';
import { compileConditions, type Condition, type Predicate } from '../conditions';
import type { RenderTemplate } from '../templates';
import { canonicalJson, forEachJsonPiece, isSmall } from '../json-in-slices';
import { TurnBudget } from '../slices';

/** One page of records as the store keeps it. */
export interface Page {
  /** The records, in arrival order (a record that was too large is left out). */
  records: unknown[];
  /** `records` as a JSON array, built from each record's one serialisation: store this text as is. */
  json: string;
  /** UTF-8 bytes of `json`; never more than `maxPageBytes`. */
  bytes: number;
  /** One per record, in the same order. */
  traceKeys: string[];
  /** One per record when the listener has a `dataUriTemplate`. */
  dataUris?: string[];
}

/** A record whose JSON alone exceeds `maxPageBytes`: an error for that record, not the request. */
export interface OversizedRecord {
  /** Index in the `records` given to `paginate`. */
  index: number;
  /** UTF-8 bytes of the record as a one-element page (`[record]`). */
  bytes: number;
  traceKey: string;
  dataUri?: string;
}

export interface PaginateOptions {
  /** At most this many records per page (`records.pageSize`, default 20). */
  pageSize: number;
  /** No page's JSON is longer than this (`records.maxPageBytes`, default 5 MiB). */
  maxPageBytes: number;
  /** From `traceKeys`; computed with the default rule when omitted. */
  traceKeys?: readonly string[];
  /** From `dataUris`. */
  dataUris?: readonly string[];
}

const TRACE_HASH_LENGTH = 16;
/** Records handled between two looks at the clock in the sliced loops. */
const RECORDS_PER_LOOK = 128;

/** How a resource path is applied; see `selectRecords`. Cached by path. */
interface Selection {
  /** For a path ending in `[*]` / `.*`: the path of the parent whose items are the records. */
  parent: string | undefined;
}

const selections = new Map<string, Selection>();
const MAX_CACHED_SELECTIONS = 10_000;

/**
 * The records of a parsed body.
 * - No path: an array body is one record per element; any other body is one record
 *   (an undefined body has none).
 * - A path ending in `[*]` (or `.*`): the items of each value its parent selects,
 *   where an array gives its elements and any other value is ONE record. An XML
 *   document with a single `<shipment>` parses to `{ shipments: { shipment: {…} } }`,
 *   and `$.shipments.shipment[*]` must give that shipment, not its fields (or, for a
 *   text element, its characters). The same rule applies to JSON: to iterate the
 *   values of an object, select them with a path that does not end in `[*]`, such
 *   as `$.orders.*.id`. A null parent has no records.
 * - Any other path: the values it selects; when that is one array, its elements.
 *
 * An empty array at the path is zero records, not an error: a partner may send an
 * empty batch. A path that selects nothing throws `ERR_NO_RECORDS`.
 * The result may be the body's own array; do not mutate it.
 */
export function selectRecords(body: unknown, resourcePath: string | undefined): unknown[] {
  if (resourcePath === undefined || resourcePath === '') {
    if (body === undefined) return [];
    return Array.isArray(body) ? body : [body];
  }
  const { parent } = selectionFor(resourcePath);
  if (parent !== undefined) {
    const parents = queryPath(parent, body);
    if (parents.length === 0) throw noRecords(resourcePath);
    if (parents.length === 1 && Array.isArray(parents[0])) return parents[0];
    const records: unknown[] = [];
    for (const value of parents) {
      if (Array.isArray(value)) for (const item of value) records.push(item);
      else if (value !== null && value !== undefined) records.push(value);
    }
    return records;
  }
  const found = queryPath(resourcePath, body);
  if (found.length === 0) throw noRecords(resourcePath);
  if (found.length === 1 && Array.isArray(found[0])) return found[0];
  return found;
}

/**
 * Keeps the records that satisfy `records.filter` (paths relative to the record).
 * Pass the compiled predicate on the hot path; a list of conditions is compiled here.
 */
export function filterRecords(records: unknown[], conditions: readonly Condition[] | Predicate): unknown[] {
  if (Array.isArray(conditions) && conditions.length === 0) return records;
  const predicate = typeof conditions === 'function' ? conditions : compileConditions(conditions as readonly Condition[]);
  return records.filter((record) => predicate(record));
}

/**
 * One trace key per record. With `records.traceKeyTemplate` (compiled), the
 * rendered text, unless it renders empty. Otherwise the record's `id` when it is a
 * non-empty string or a number, else the first 16 hex characters of the SHA-1 of
 * the record's canonical JSON (keys sorted), so the same record sent again with its
 * keys in another order gets the same key. A template that fails to render throws
 * `TemplateRenderError`.
 */
export function traceKeys(records: readonly unknown[], template?: RenderTemplate): string[] {
  const keys = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const rendered = template ? template(record as object) : '';
    keys[i] = rendered !== '' ? rendered : defaultTraceKey(record);
  }
  return keys;
}

/**
 * `traceKeys` for the records of one request, letting the event loop turn
 * between slices; a large record (a flat XML document is one) is hashed in
 * slices too. Same keys as `traceKeys`.
 */
export async function traceKeysInSlices(records: readonly unknown[], template?: RenderTemplate): Promise<string[]> {
  const budget = new TurnBudget();
  const keys = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const rendered = template ? template(record as object) : '';
    if (rendered !== '') keys[i] = rendered;
    else keys[i] = idKey(record) ?? (isSmall(record) ? defaultTraceKey(record) : await defaultTraceKeyInSlices(record));
    if (i % RECORDS_PER_LOOK === RECORDS_PER_LOOK - 1) await budget.pause();
  }
  return keys;
}

/** One data URI per record from `records.dataUriTemplate`; undefined without a template. */
export function dataUris(records: readonly unknown[], template?: RenderTemplate): string[] | undefined {
  if (!template) return undefined;
  const uris = new Array<string>(records.length);
  for (let i = 0; i < records.length; i++) uris[i] = template(records[i] as object);
  return uris;
}

/**
 * Cuts records into pages of at most `pageSize` records whose JSON never exceeds
 * `maxPageBytes`: when the next record would overflow the page, a new page starts.
 * A record that does not fit even alone goes to `oversized` and the others go on.
 */
export function paginate(records: readonly unknown[], options: PaginateOptions): { pages: Page[]; oversized: OversizedRecord[] } {
  const cutter = new PageCutter(options.pageSize, options.maxPageBytes);
  const keys = options.traceKeys ?? traceKeys(records);
  for (let index = 0; index < records.length; index++) cutter.add(records[index], index, keys[index]!, options.dataUris?.[index]);
  return cutter.finish();
}

/**
 * `paginate` one record at a time, so that a caller may cut a large request in
 * slices and let the event loop run between them (see `build-job.ts`).
 */
export class PageCutter {
  private readonly pages: Page[] = [];
  private readonly oversized: OversizedRecord[] = [];
  private current: Page | undefined;
  private parts: string[] = [];

  constructor(private readonly pageSize: number, private readonly maxPageBytes: number) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
    if (!Number.isInteger(maxPageBytes) || maxPageBytes < 3) throw new RangeError(`maxPageBytes must be an integer of at least 3, got ${maxPageBytes}`);
  }

  /**
   * Adds the record at `index` of the request; `dataUri` only when the listener has
   * a template. `serialised` is the record's JSON when the caller built it already
   * (in slices, for a large record).
   */
  add(record: unknown, index: number, traceKey: string, dataUri?: string, serialised?: string): void {
    // The one serialisation of this record; `undefined` cannot appear in a JSON array.
    const json = serialised ?? JSON.stringify(record) ?? 'null';
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes + 2 > this.maxPageBytes) {
      this.oversized.push({ index, bytes: bytes + 2, traceKey, ...(dataUri !== undefined ? { dataUri } : {}) });
      return;
    }
    let current = this.current;
    if (current && (current.records.length >= this.pageSize || current.bytes + 1 + bytes > this.maxPageBytes)) {
      this.close();
      current = undefined;
    }
    if (!current) {
      current = this.current = { records: [], json: '', bytes: 2, traceKeys: [], ...(dataUri !== undefined ? { dataUris: [] } : {}) };
    } else {
      current.bytes += 1;
    }
    current.records.push(record);
    current.traceKeys.push(traceKey);
    if (dataUri !== undefined) current.dataUris?.push(dataUri);
    current.bytes += bytes;
    this.parts.push(json);
  }

  finish(): { pages: Page[]; oversized: OversizedRecord[] } {
    this.close();
    return { pages: this.pages, oversized: this.oversized };
  }

  private close(): void {
    if (!this.current) return;
    this.current.json = `[${this.parts.join(',')}]`;
    this.pages.push(this.current);
    this.current = undefined;
    this.parts = [];
  }
}

function selectionFor(path: string): Selection {
  let selection = selections.get(path);
  if (!selection) {
    const problem = checkPath(path);
    if (problem) throw new TypeError(`Invalid resourcePath ${JSON.stringify(path)}: ${problem}`);
    const match = /^(.*?)(?:\[\s*\*\s*\]|\.\*)$/.exec(path);
    const parent = match ? (match[1] === '' ? '$' : match[1]!) : undefined;
    // `$..*` and `$..[*]` have no parent path of their own: apply them as written.
    selection = { parent: parent !== undefined && checkPath(parent) === undefined ? parent : undefined };
    if (selections.size >= MAX_CACHED_SELECTIONS) selections.delete(selections.keys().next().value as string);
    selections.set(path, selection);
  }
  return selection;
}

function noRecords(path: string): AppError {
  return new AppError('ERR_NO_RECORDS', `resourcePath ${path} matched nothing`);
}

function defaultTraceKey(record: unknown): string {
  return idKey(record) ?? createHash('sha1').update(canonicalJson(record)).digest('hex').slice(0, TRACE_HASH_LENGTH);
}

/** The record's `id` as a trace key, when it has a usable one. */
function idKey(record: unknown): string | undefined {
  if (record !== null && typeof record === 'object' && !Array.isArray(record)) {
    const id = (record as Record<string, unknown>).id;
    if (typeof id === 'string' && id !== '') return id;
    if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  }
  return undefined;
}

/** `defaultTraceKey` of a large record: the canonical JSON is hashed piece by piece, in slices. */
async function defaultTraceKeyInSlices(record: unknown): Promise<string> {
  const hash = createHash('sha1');
  await forEachJsonPiece(record, { canonical: true }, (piece) => hash.update(piece));
  return hash.digest('hex').slice(0, TRACE_HASH_LENGTH);
}
