/**
 * The records stage (SPEC §8): select records by resource path, drop those the
 * record filter refuses, add request headers when asked, cut pages, and shape the
 * job the store writes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { timeOrderedId } from '../ids';
import type { NewJob } from '../store/store';
import { AppError } from '../errors';
import { PageCutter, selectRecords, traceKeys, traceKeysInSlices, type OversizedRecord, type Page } from './records';
import { inSlices, TurnBudget } from '../slices';
import { isSmall, stringifyInSlices } from '../json-in-slices';
import type { RuntimeListener } from './runtime-listener';
import { mapRecords, type MappingError, type MappingRequest } from '../records/output-mapping';
import { credentialsOutOfBody, maskQuery, maskSensitiveHeaders } from '../security/redact';
import type { RequestContext } from './request-context';
import type { Route } from './route-stage';

/** Records paged between two looks at the clock. */
const RECORDS_PER_LOOK = 128;

export interface BuiltJob {
  job: NewJob;
  /** As queued: `records.output` applied. */
  records: unknown[];
  pages: Page[];
  traceKeys: string[];
  oversized: OversizedRecord[];
  /** Records whose `records.output` mapping failed: left out, recorded as errors for every flow. */
  mappingErrors: MappingError[];
}

/** `includeHeaders` (Make's "get request headers"): `[{ name, value }]`, secrets left out. */
export function headerList(headers: IncomingHttpHeaders, sensitive: ReadonlySet<string>): Array<{ name: string; value: string }> {
  const list: Array<{ name: string; value: string }> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || sensitive.has(name)) continue;
    for (const single of Array.isArray(value) ? value : [value]) list.push({ name, value: single });
  }
  return list;
}

function withHeaders(record: unknown, headers: Array<{ name: string; value: string }>): unknown {
  if (record !== null && typeof record === 'object' && !Array.isArray(record)) return { ...record, headers };
  // A record that is not an object cannot carry a member: wrap it.
  return { value: record, headers };
}

interface Selection {
  selected: unknown[];
  filter: RuntimeListener['recordFilter'];
  headers: Array<{ name: string; value: string }> | undefined;
}

/**
 * Selects a body's records and counts them against `records.maxPerRequest`
 * before any per-record work, so a flood is refused cheaply.
 * @throws AppError ERR_TOO_MANY_RECORDS, ERR_NO_RECORDS
 */
function select(listener: RuntimeListener, body: unknown, headers: IncomingHttpHeaders): Selection {
  const settings = listener.settings;
  const selected = settings.parsing.passThrough ? [body] : selectRecords(body, settings.records.resourcePath ?? undefined);
  const max = settings.records.maxPerRequest;
  if (selected.length > max) {
    throw new AppError('ERR_TOO_MANY_RECORDS', `the request holds ${selected.length} records; this listener accepts at most ${max} (records.maxPerRequest ${max}): send them in smaller batches`);
  }
  return { selected, filter: listener.recordFilter, headers: settings.parsing.includeHeaders ? headerList(headers, listener.sensitiveHeaders) : undefined };
}

/** Records `from`..`to` of a selection that `records.filter` keeps, with headers when asked, appended to `out`. */
function keep({ selected, filter, headers }: Selection, from: number, to: number, out: unknown[]): void {
  for (let index = from; index < to; index++) {
    const record = selected[index];
    if (filter && !filter(record)) continue;
    out.push(headers ? withHeaders(record, headers) : record);
  }
}

/**
 * The records of a request: selected, counted, filtered, with headers added when
 * asked. The per-record work runs in slices that let the event loop turn (slices.ts).
 * @throws AppError ERR_TOO_MANY_RECORDS, ERR_NO_RECORDS
 */
export async function selectJobRecords(listener: RuntimeListener, body: unknown, headers: IncomingHttpHeaders): Promise<unknown[]> {
  const selection = select(listener, body, headers);
  if (!selection.filter && !selection.headers) return selection.selected;
  const records: unknown[] = [];
  await inSlices(selection.selected.length, (from, to) => keep(selection, from, to, records));
  return records;
}

export async function buildJob(
  listener: RuntimeListener,
  records: unknown[],
  requestId: string,
  receivedAt: number,
  meta: Record<string, unknown>,
  request: MappingRequest,
): Promise<BuiltJob> {
  let keys = await traceKeysInSlices(records, listener.traceKey);
  let uris: string[] | undefined = listener.dataUri ? [] : undefined;
  if (uris) await inSlices(records.length, (from, to) => {
    for (let index = from; index < to; index++) uris!.push(listener.dataUri!(records[index] as object));
  });
  let mappingErrors: MappingError[] = [];
  if (listener.output) {
    const mapped = mapRecords(listener.output, records, keys, uris, request);
    ({ records, traceKeys: keys, dataUris: uris, errors: mappingErrors } = mapped);
  }
  const cutter = new PageCutter(listener.settings.records.pageSize, listener.settings.records.maxPageBytes);
  const budget = new TurnBudget();
  for (let index = 0; index < records.length; index++) {
    const record = records[index];
    // A large record (a whole flat XML document) is serialised in slices too.
    cutter.add(record, index, keys[index]!, uris?.[index], isSmall(record) ? undefined : await stringifyInSlices(record));
    if (index % RECORDS_PER_LOOK === RECORDS_PER_LOOK - 1) await budget.pause();
  }
  const { pages, oversized } = cutter.finish();
  const job: NewJob = {
    // time-ordered: job rows and their index entries are appended, not scattered
    id: timeOrderedId(receivedAt),
    listenerId: listener.id,
    requestId,
    receivedAt: new Date(receivedAt).toISOString(),
    recordCount: records.length,
    pages: pages.map((page) => ({
      recordsJson: page.json,
      count: page.records.length,
      traceKeys: page.traceKeys,
      ...(page.dataUris ? { dataUris: page.dataUris } : {}),
    })),
    meta: { ...meta, ...(oversized.length > 0 ? { oversized } : {}), ...(mappingErrors.length > 0 ? { mappingErrors } : {}) },
  };
  return { job, records, pages, traceKeys: keys, oversized, mappingErrors };
}

export interface PreparedJob {
  /** The body as stored (job, sample): credentials the sender put in it masked. */
  storedBody: unknown;
  /** The records selected and filtered, before `records.output`. */
  records: unknown[];
  /** Undefined when no record is left: nothing to queue. */
  built: BuiltJob | undefined;
}

/**
 * The records stage (SPEC §8): credentials out of the body (they authenticate
 * the sender to hookport and are not data for the flows), records selected and
 * filtered, then the job shaped for the store.
 * @throws AppError ERR_TOO_MANY_RECORDS, ERR_NO_RECORDS
 */
export async function prepareJob(context: RequestContext, body: unknown, route: Route | undefined, requestId: string, receivedAt: number): Promise<PreparedJob> {
  const { listener, req } = context;
  const storedBody = await credentialsOutOfBody(listener, {
    body, bodyFromQuery: context.bodyFromQuery, passThrough: listener.settings.parsing.passThrough, parsed: () => context.parsedBody(),
  });
  const records = await selectJobRecords(listener, storedBody, req.headers);
  if (records.length === 0) return { storedBody, records, built: undefined };
  // Never a credential in the stored job: query tokens (token verifier, Meta) are masked.
  const query = maskQuery(context.query, listener.sensitiveQuery);
  const meta = { method: req.method, contentType: req.headers['content-type'] ?? null, query, ...(route ? { route } : {}) };
  const request = {
    body: storedBody, headers: maskSensitiveHeaders(req.headers, listener.sensitiveHeaders), query, method: req.method!, now: new Date(receivedAt).toISOString(),
  };
  return { storedBody, records, built: await buildJob(listener, records, requestId, receivedAt, meta, request) };
}

/**
 * The records a stored sample gives flows (sample and structure endpoints, the
 * flow test): selected and filtered as ingestion would, `records.output` applied.
 */
export function previewRecords(listener: RuntimeListener, sample: { body: unknown; headers: Record<string, string | string[]>; receivedAt: string }): {
  records: unknown[];
  mappingErrors: MappingError[];
} {
  // A stored sample was one accepted request: it is split in one go.
  const selection = select(listener, sample.body, sample.headers as IncomingHttpHeaders);
  const records: unknown[] = [];
  keep(selection, 0, selection.selected.length, records);
  if (!listener.output) return { records, mappingErrors: [] };
  const keys = traceKeys(records, listener.traceKey);
  const mapped = mapRecords(listener.output, records, keys, undefined, {
    body: sample.body, headers: sample.headers, query: {}, method: 'POST', now: sample.receivedAt,
  });
  return { records: mapped.records, mappingErrors: mapped.errors };
}
