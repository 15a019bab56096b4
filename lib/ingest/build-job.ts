/**
 * The records stage (SPEC §8): select records by resource path, drop those the
 * record filter refuses, add request headers when asked, cut pages, and shape the
 * job the store writes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { timeOrderedId } from '../ids';
import type { NewJob } from '../store/store';
import { AppError } from '../errors';
import { PageCutter, selectRecords, traceKeys, type OversizedRecord, type Page } from './records';
import { inSlices } from './slices';
import type { RuntimeListener } from './runtime-listener';

export interface BuiltJob {
  job: NewJob;
  records: unknown[];
  pages: Page[];
  traceKeys: string[];
  oversized: OversizedRecord[];
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

/**
 * The records of a request: selected, counted against `records.maxPerRequest`
 * (before any per-record work, so a flood is refused cheaply), filtered, and with
 * headers added when asked. The per-record work runs in slices (see slices.ts).
 * @throws AppError ERR_TOO_MANY_RECORDS, ERR_NO_RECORDS
 */
export async function selectJobRecords(listener: RuntimeListener, body: unknown, headers: IncomingHttpHeaders): Promise<unknown[]> {
  const settings = listener.settings;
  const selected = settings.parsing.passThrough ? [body] : selectRecords(body, settings.records.resourcePath ?? undefined);
  const max = settings.records.maxPerRequest;
  if (selected.length > max) {
    throw new AppError('ERR_TOO_MANY_RECORDS', `the request holds ${selected.length} records; this listener accepts at most ${max} (records.maxPerRequest ${max}): send them in smaller batches`);
  }
  const filter = listener.recordFilter;
  const list = settings.parsing.includeHeaders ? headerList(headers, listener.sensitiveHeaders) : undefined;
  if (!filter && !list) return selected;
  const records: unknown[] = [];
  await inSlices(selected.length, (from, to) => {
    for (let index = from; index < to; index++) {
      const record = selected[index];
      if (filter && !filter(record)) continue;
      records.push(list ? withHeaders(record, list) : record);
    }
  });
  return records;
}

export async function buildJob(
  listener: RuntimeListener,
  records: unknown[],
  requestId: string,
  receivedAt: number,
  meta: Record<string, unknown>,
): Promise<BuiltJob> {
  const keys: string[] = [];
  const cutter = new PageCutter(listener.settings.records.pageSize, listener.settings.records.maxPageBytes);
  await inSlices(records.length, (from, to) => {
    const slice = records.slice(from, to);
    const sliceKeys = traceKeys(slice, listener.traceKey);
    for (let offset = 0; offset < slice.length; offset++) {
      const uri = listener.dataUri ? listener.dataUri(slice[offset] as object) : undefined;
      keys.push(sliceKeys[offset]!);
      cutter.add(slice[offset], from + offset, sliceKeys[offset]!, uri);
    }
  });
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
    meta: oversized.length > 0 ? { ...meta, oversized } : meta,
  };
  return { job, records, pages, traceKeys: keys, oversized };
}
