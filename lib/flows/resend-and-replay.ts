/**
 * The two kinds of page a flow's worker sends besides the one at its cursor
 * (lib/flows/flow-worker.ts): an error resubmitted through the API (its records,
 * from the import that failed; DeliveryStore.finishRetry says how it ends) and
 * the next page of a replay (lib/flows/replay.ts), sent with Hookport-Replay.
 * Neither moves the cursor.
 */
import type { DeliveryErrorDoc, FlowDoc, ReplayDoc } from '../store/store';
import { retryRecords, type ErrorJob } from './delivery-error-docs';
import type { WorkerDeps } from './flow-worker';
import { iso, jobContext, listenerContext, storedPageWork, type PageRunner } from './page-runner';
import type { RetryWaits } from './retry-waits';

type Deps = Pick<WorkerDeps, 'store' | 'clock' | 'events' | 'logger' | 'listener'>;

/**
 * The page a flow's worker sends before those at its cursor, if one is due: an
 * error resubmitted through the API, else the next page of a replay whose turn
 * has come (the cursor at or past its `afterSeq`). `replayAfter`: the seq the
 * next replay waits for (null when none waits; absent when not read).
 * `beforeSend` runs once one is found, before it is sent (the keyed worker waits
 * there for its pages in flight).
 */
export async function sendResubmittedOrReplayed(
  deps: Deps, runner: PageRunner, waits: RetryWaits, flow: FlowDoc, cursorSeq: number, beforeSend?: () => Promise<void>,
): Promise<{ sent: boolean; replayAfter?: number | null }> {
  const retry = await deps.store.delivery.nextRetry(flow.id);
  if (retry) {
    await beforeSend?.();
    await resendError(deps, runner, waits, flow, retry);
    return { sent: true };
  }
  const replay = await deps.store.schedule.nextReplay(flow.id);
  const replayAfter = replay ? replay.afterSeq : null;
  if (!replay || cursorSeq < replay.afterSeq) return { sent: false, replayAfter };
  await beforeSend?.();
  await replayPage(deps, runner, waits, flow, replay);
  return { sent: true, replayAfter };
}

/** Sends an error's records again, from the import that failed; see DeliveryStore.finishRetry. */
export async function resendError(deps: Deps, runner: PageRunner, waits: RetryWaits, flow: FlowDoc, error: DeliveryErrorDoc): Promise<void> {
  const { store, clock } = deps;
  const job = await store.getJob(error.jobId);
  const records = retryRecords(error, job);
  const fromImport = error.importId === null ? -1 : flow.imports.indexOf(error.importId);
  if (!records || error.pageIndex === null || fromImport < 0) {
    const message = !records || error.pageIndex === null ? 'nothing to send: the records were not kept' : `import ${error.importId} is no longer in the flow`;
    await store.delivery.finishRetry(error.id, iso(clock.now()), { kind: 'config', message, response: null, attempts: 0, importId: error.importId, importIndex: error.importIndex });
    deps.events.settled(flow.id);
    return;
  }
  const listener = await deps.listener(error.listenerId);
  const errorJob: ErrorJob = { id: error.jobId, seq: error.jobSeq, requestId: error.requestId, receivedAt: error.receivedAt };
  const outcome = await runner.run(flow, {
    flowId: flow.id, imports: flow.imports, fromImport,
    job: job ? jobContext(job) : { ...errorJob, recordCount: records.length, meta: {} },
    listener: listenerContext(error.listenerId, listener), pageIndex: error.pageIndex, records, recordIndexes: error.recordIndexes,
    traceKeys: error.traceKeys, dataUris: error.dataUris, recordsJson: error.retryData?.recordsJson, source: `error:${error.id}`,
  });
  const again = outcome.failures.find((f) => f.importIndex === fromImport);
  const later = outcome.failures.filter((f) => f !== again);
  await runner.recordFailures(flow, errorJob, error.pageIndex, later, listener);
  await waits.pageDone(`error:${error.id}`, error.jobId, error.pageIndex);
  const at = iso(clock.now());
  if (again) {
    deps.events.failed(again.importId, flow.id, again.kind);
    const reopened = await store.delivery.finishRetry(error.id, at, {
      kind: again.kind, message: again.message, response: again.response, attempts: again.attempts, importId: again.importId, importIndex: again.importIndex,
    });
    if (reopened) runner.opened({ ...error, ...again, status: 'open' }, true, at);
  } else {
    await store.delivery.finishRetry(error.id, at, null);
  }
  deps.events.settled(flow.id);
}

/** Sends the next page of a replay (header Hookport-Replay), records its failures, and moves the replay on. */
export async function replayPage(deps: Deps, runner: PageRunner, waits: RetryWaits, flow: FlowDoc, replay: ReplayDoc): Promise<void> {
  const { store } = deps;
  const job = await store.getJob(replay.jobId);
  if (job) {
    const listener = await deps.listener(job.listenerId);
    const work = storedPageWork(flow, job, replay.page, listener);
    if (work) {
      const source = `replay:${replay.id}`;
      const outcome = await runner.run(flow, { ...work, source, replay: true });
      await runner.recordFailures(flow, job, replay.page, outcome.failures, listener, replay.id);
      await waits.pageDone(source, job.id, replay.page);
    }
  } else {
    deps.logger.warn({ flowId: flow.id, jobId: replay.jobId, replayId: replay.id }, 'a replayed job is no longer kept; replay dropped');
  }
  const next = job && replay.page + 1 < job.pages.length ? replay.page + 1 : null;
  await store.schedule.advanceReplay(replay.id, replay.page, next);
  deps.events.settled(flow.id);
}
