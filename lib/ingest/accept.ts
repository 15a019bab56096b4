/**
 * The accept stage (SPEC §11): the job and its dedup claim written in one
 * transaction. Only after this resolves may the partner get a 2xx. A full flow
 * queue answers 503 with Retry-After; any other store failure 503 too, with
 * nothing accepted.
 */
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { QueueFullError, type NewJob, type Store, type StoredResponse } from '../store/store';
import type { DedupLookup } from './dedup';
import type { Answer } from './respond';
import type { RuntimeListener } from './runtime-listener';

/** How long a partner is asked to wait when a flow's queue is full. */
const QUEUE_FULL_RETRY_SECONDS = 30;

export interface AfterFlowWaiter {
  /** Before the append: keep the job's progress for the wait that follows. */
  expect(jobId: string): void;
  /** The expected job was not appended. */
  forget(jobId: string): void;
  /** Resolves with the imports' results, or 'failed' / 'timeout' (SPEC §12 afterFlow). */
  wait(jobId: string, listener: RuntimeListener, timeoutMs: number): Promise<{ status: 'done'; imports: unknown } | { status: 'failed' } | { status: 'timeout' }>;
}

export interface AcceptDeps {
  store: Store;
  logger: Logger;
  afterFlow?: AfterFlowWaiter;
}

export type Accepted = { status: 'accepted'; jobId: string } | { status: 'duplicate'; response: StoredResponse };

/** The stored form of an answer, replayed to duplicates. */
export function toStoredResponse(response: Answer): StoredResponse {
  return { status: response.status, headers: response.headers, body: response.body.toString('utf8') };
}

/** Whether the answer waits for the flows (SPEC §12 `mode: afterFlow`). */
export function waitsForFlows(deps: AcceptDeps, listener: RuntimeListener): boolean {
  return listener.settings.response.mode === 'afterFlow' && deps.afterFlow !== undefined;
}

/**
 * Appends the job with its dedup claim (which stores `success` for duplicates).
 * A concurrent duplicate that claimed the key first comes back as `duplicate`.
 * @throws AppError ERR_QUEUE_FULL, ERR_STORE_UNAVAILABLE
 */
export async function acceptJob(
  deps: AcceptDeps, listener: RuntimeListener, job: NewJob, dedup: DedupLookup, success: Answer, receivedAt: number,
): Promise<Accepted> {
  const waits = waitsForFlows(deps, listener);
  if (waits) deps.afterFlow!.expect(job.id);
  const claim = dedup.key && listener.dedup
    ? { dedup: { key: dedup.key, expiresAt: new Date(receivedAt + listener.dedup.windowMs).toISOString(), response: toStoredResponse(success) } }
    : {};
  let appended;
  try {
    appended = await deps.store.appendJob(job, claim);
  } catch (error) {
    if (waits) deps.afterFlow!.forget(job.id);
    if (error instanceof QueueFullError) {
      throw new AppError('ERR_QUEUE_FULL', error.flowId ? `flow ${error.flowId} has ${error.depth} jobs waiting` : `${error.depth} jobs are waiting for a flow to be attached`, {
        headers: { 'Retry-After': String(QUEUE_FULL_RETRY_SECONDS) },
      });
    }
    deps.logger.error({ err: error, requestId: job.requestId, listenerId: listener.id }, 'store refused a job');
    throw new AppError('ERR_STORE_UNAVAILABLE', 'the job could not be stored; nothing was accepted, send it again', {
      headers: { 'Retry-After': '5' },
    });
  }
  if (appended.status === 'duplicate') {
    if (waits) deps.afterFlow!.forget(job.id);
    return { status: 'duplicate', response: appended.response };
  }
  return { status: 'accepted', jobId: job.id };
}
