/**
 * Builds delivery errors as the store keeps them (SPEC §11), for the flow's
 * worker when a page or a record fails (the admin side, which lists, resubmits
 * and resolves them, is delivery-error-service.ts): where the failure
 * happened, the records' trace keys and data URIs, the import's answer, and the
 * records themselves for a retry (unless the listener sets
 * `doNotStoreRetryData`).
 *
 * An error's id is derived from where it happened, so a page sent again after a
 * crash (at-least-once) records its error once, not twice.
 */
import { createHash } from 'node:crypto';
import type { DeliveryErrorDoc, JobDoc } from '../store/store';
import type { OversizedRecord } from '../ingest/records';
import type { PageFailure } from './page-delivery';
import type { MappingError } from '../records/output-mapping';


export interface ErrorJob {
  id: string;
  seq: number;
  requestId: string;
  receivedAt: string;
}

function errorId(flowId: string, jobId: string, where: string): string {
  return createHash('sha256').update(`${flowId}|${jobId}|${where}`).digest('hex').slice(0, 32);
}

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Queue order: job, then page (oversized records first, as page "0"), import, record. */
function position(seq: number, pageIndex: number | null, importIndex: number, recordIndex: number): string {
  return `${pad(seq, 12)}.${pad(pageIndex === null ? 0 : pageIndex + 1, 6)}.${pad(importIndex, 3)}.${pad(recordIndex, 7)}`;
}

export function pageError(
  flowId: string,
  listenerId: string,
  job: ErrorJob,
  pageIndex: number,
  failure: PageFailure,
  keepRecords: boolean,
  at: string,
  replayId?: string,
): DeliveryErrorDoc {
  const where = `page:${pageIndex}|import:${failure.importIndex}|records:${failure.recordIndexes.join(',')}${replayId ? `|replay:${replayId}` : ''}`;
  return {
    id: errorId(flowId, job.id, where),
    flowId, listenerId, jobId: job.id, jobSeq: job.seq, requestId: job.requestId, receivedAt: job.receivedAt,
    pageIndex, importId: failure.importId, importIndex: failure.importIndex,
    recordIndexes: failure.recordIndexes, traceKeys: failure.traceKeys,
    ...(failure.dataUris ? { dataUris: failure.dataUris } : {}),
    kind: failure.kind, message: failure.message, response: failure.response, attempts: failure.attempts,
    idempotencyKey: failure.idempotencyKey,
    retryData: keepRecords ? { recordsJson: JSON.stringify(failure.records) } : null,
    status: 'open', retryCount: 0, retryRequestedAt: null, resolvedAt: null,
    position: position(job.seq, pageIndex, failure.importIndex, failure.recordIndexes[0] ?? 0),
    createdAt: at, updatedAt: at,
  };
}

/**
 * Errors for the records of a job that never reached a page: too large for any
 * page, or their `records.output` mapping failed. Nothing to retry: the record
 * was never stored.
 */
export function recordErrors(flowId: string, job: JobDoc, at: string): DeliveryErrorDoc[] {
  if (!hasRecordErrors(job)) return [];
  return [...oversizedErrors(flowId, job, at), ...mappingErrors(flowId, job, at)];
}

/** Whether the job has records that never reached a page (see recordErrors). */
export function hasRecordErrors(job: JobDoc): boolean {
  return job.meta.oversized !== undefined || job.meta.mappingErrors !== undefined;
}

function mappingErrors(flowId: string, job: JobDoc, at: string): DeliveryErrorDoc[] {
  const failed = (job.meta.mappingErrors ?? []) as MappingError[];
  return failed.map((record) => ({
    id: errorId(flowId, job.id, `mapping:${record.index}`),
    flowId, listenerId: job.listenerId, jobId: job.id, jobSeq: job.seq, requestId: job.requestId, receivedAt: job.receivedAt,
    pageIndex: null, importId: null, importIndex: 0,
    recordIndexes: [record.index], traceKeys: [record.traceKey],
    ...(record.dataUri !== undefined ? { dataUris: [record.dataUri] } : {}),
    kind: 'mapping',
    message: `records.output failed for this record: ${record.message}`,
    response: null, attempts: 0, idempotencyKey: null, retryData: null,
    status: 'open', retryCount: 0, retryRequestedAt: null, resolvedAt: null,
    position: position(job.seq, null, 0, record.index),
    createdAt: at, updatedAt: at,
  }));
}

function oversizedErrors(flowId: string, job: JobDoc, at: string): DeliveryErrorDoc[] {
  const oversized = (job.meta.oversized ?? []) as OversizedRecord[];
  return oversized.map((record) => ({
    id: errorId(flowId, job.id, `oversized:${record.index}`),
    flowId, listenerId: job.listenerId, jobId: job.id, jobSeq: job.seq, requestId: job.requestId, receivedAt: job.receivedAt,
    pageIndex: null, importId: null, importIndex: 0,
    recordIndexes: [record.index], traceKeys: [record.traceKey],
    ...(record.dataUri !== undefined ? { dataUris: [record.dataUri] } : {}),
    kind: 'oversized',
    message: `the record is ${record.bytes} bytes of JSON, more than the listener's records.maxPageBytes`,
    response: null, attempts: 0, idempotencyKey: null, retryData: null,
    status: 'open', retryCount: 0, retryRequestedAt: null, resolvedAt: null,
    position: position(job.seq, null, 0, record.index),
    createdAt: at, updatedAt: at,
  }));
}

/** The error's records: its retry data, else the stored page while the job is kept. */
export function retryRecords(error: DeliveryErrorDoc, job: JobDoc | null): unknown[] | undefined {
  if (error.retryData) return JSON.parse(error.retryData.recordsJson) as unknown[];
  const page = error.pageIndex === null ? undefined : job?.pages[error.pageIndex];
  if (!page) return undefined;
  const records = JSON.parse(page.recordsJson) as unknown[];
  return error.recordIndexes.map((index) => records[index]);
}
