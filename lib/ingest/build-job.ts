/**
 * The records stage (SPEC §8): select records by resource path, drop those the
 * record filter refuses, add request headers when asked, cut pages, and shape the
 * job the store writes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { timeOrderedId } from '../ids';
import type { NewJob } from '../store/store';
import { dataUris, filterRecords, paginate, selectRecords, traceKeys, type OversizedRecord, type Page } from './records';
import type { RuntimeListener } from './runtime-listener';
import { mapRecords, type MappingError, type MappingRequest } from './output-mapping';

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

export function selectJobRecords(listener: RuntimeListener, body: unknown, headers: IncomingHttpHeaders): unknown[] {
  const settings = listener.settings;
  let records = settings.parsing.passThrough ? [body] : selectRecords(body, settings.records.resourcePath ?? undefined);
  if (listener.recordFilter) records = filterRecords(records, listener.recordFilter);
  if (settings.parsing.includeHeaders) {
    const list = headerList(headers, listener.sensitiveHeaders);
    records = records.map((record) => withHeaders(record, list));
  }
  return records;
}

export function buildJob(
  listener: RuntimeListener,
  records: unknown[],
  requestId: string,
  receivedAt: number,
  meta: Record<string, unknown>,
  request: MappingRequest,
): BuiltJob {
  let keys = traceKeys(records, listener.traceKey);
  let uris = listener.dataUri ? dataUris(records, listener.dataUri) : undefined;
  let mappingErrors: MappingError[] = [];
  if (listener.output) {
    const mapped = mapRecords(listener.output, records, keys, uris, request);
    ({ records, traceKeys: keys, dataUris: uris, errors: mappingErrors } = mapped);
  }
  const { pages, oversized } = paginate(records, {
    pageSize: listener.settings.records.pageSize,
    maxPageBytes: listener.settings.records.maxPageBytes,
    traceKeys: keys,
    ...(uris ? { dataUris: uris } : {}),
  });
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

/**
 * The records a stored sample gives flows (sample and structure endpoints, the
 * flow test): selected and filtered as ingestion would, `records.output` applied.
 */
export function previewRecords(listener: RuntimeListener, sample: { body: unknown; headers: Record<string, string | string[]>; receivedAt: string }): {
  records: unknown[];
  mappingErrors: MappingError[];
} {
  const records = selectJobRecords(listener, sample.body, sample.headers as IncomingHttpHeaders);
  if (!listener.output) return { records, mappingErrors: [] };
  const keys = traceKeys(records, listener.traceKey);
  const mapped = mapRecords(listener.output, records, keys, undefined, {
    body: sample.body, headers: sample.headers, query: {}, method: 'POST', now: sample.receivedAt,
  });
  return { records: mapped.records, mappingErrors: mapped.errors };
}
