/**
 * Sending one page of a flow through its imports, for the worker that holds the
 * flow: the page at the cursor, a resubmitted error's records, a replayed page.
 * It owns what makes a page stoppable (a disable or a shutdown cuts waits at
 * once and aborts the request in flight, the lease is checked before every
 * attempt) and what a page leaves behind: its failures recorded as errors
 * (opened once, even when the page is sent again after a crash) and the
 * afterFlow progress.
 */
import type { DeliveryErrorDoc, FlowDoc, JobDoc } from '../store/store';
import type { ImportRuntime } from '../imports/import-runtime';
import type { PreparedRequest } from '../imports/http-import';
import type { RuntimeListener } from '../ingest/runtime-listener';
import { normalizeRetry, type RetrySettings } from '../imports/retry-schedule';
import { pageError, type ErrorJob } from './delivery-error-docs';
import type { FlowLease } from './flow-lease';
import type { WorkerDeps } from './flow-worker';
import { deliverPage, type PageFailure, type PageOutcome, type PageWork } from './page-delivery';
import type { RetryWaits } from './retry-waits';
import { sendWithRetry } from './send-with-retry';

/** Why a page was given up without an outcome; it is sent again later. */
export class PageInterrupted extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PageInterrupted';
  }
}

export const iso = (ms: number): string => new Date(ms).toISOString();

interface PageSignals {
  /** Ends waits (backoff, rate limit). */
  sleep: AbortController;
  /** Aborts the request in flight. */
  request: AbortController;
}

const freshSignals = (): PageSignals => ({ sleep: new AbortController(), request: new AbortController() });

export class PageRunner {
  /** The signals of the page in flight, if any. */
  private page: PageSignals | undefined;
  /** Kept from page to page until one is aborted (fewer allocations per page). */
  private signals = freshSignals();

  constructor(
    private readonly deps: WorkerDeps,
    private readonly lease: FlowLease,
    private readonly waits: RetryWaits,
    /** True once the worker is stopping: no new attempt starts. */
    private readonly stopped: () => boolean,
  ) {}

  /** Cuts the waits of the page in flight (backoff, rate limit) at once. */
  cutWaits(reason: string): void {
    this.page?.sleep.abort(new PageInterrupted(reason));
  }

  /** Cuts the waits and aborts the request in flight: the page is sent again later. */
  interrupt(reason: string): void {
    this.page?.sleep.abort(new PageInterrupted(reason));
    this.page?.request.abort(new PageInterrupted(reason));
  }

  /** Sends `work` through the flow's imports; throws PageInterrupted when it was stopped before an outcome. */
  async run(flow: FlowDoc, work: PageWork): Promise<PageOutcome> {
    if (this.signals.sleep.signal.aborted || this.signals.request.signal.aborted) this.signals = freshSignals();
    const page = this.signals;
    this.page = page;
    const timeoutOf = (runtime: ImportRuntime) => runtime.state.settings.timeoutSeconds * 1000;
    try {
      return await deliverPage(work, {
        runtime: (id) => this.deps.runtimes.get(id),
        send: (runtime, request: PreparedRequest, unit) =>
          sendWithRetry(runtime, request, {
            clock: this.deps.clock, scheduler: this.deps.scheduler, random: this.deps.random, events: this.deps.events, flowId: flow.id,
            sleepSignal: page.sleep.signal, requestSignal: page.request.signal, retries: true, unit, waits: this.waits, retry: flowRetry(flow),
            beforeAttempt: async (runtime) => {
              if (this.stopped() || page.sleep.signal.aborted) throw new PageInterrupted('interrupted');
              if ((await this.lease.hold(timeoutOf(runtime))) === null) {
                this.waits.forget();
                throw new PageInterrupted('the flow lease was lost');
              }
            },
          }),
        checkpoint: () => {
          if (this.stopped() || page.sleep.signal.aborted) throw new PageInterrupted('interrupted');
        },
      });
    } catch (error) {
      if (page.sleep.signal.aborted || page.request.signal.aborted) throw new PageInterrupted(String((error as Error)?.message ?? error));
      throw error;
    } finally {
      if (this.page === page) this.page = undefined;
    }
  }

  /** `replayId`: failures of a replay are errors of their own, not the original page's. */
  async recordFailures(
    flow: FlowDoc, job: ErrorJob, pageIndex: number, failures: readonly PageFailure[], listener: RuntimeListener | undefined, replayId?: string,
  ): Promise<void> {
    if (failures.length === 0) return;
    const keep = !listener?.settings.doNotStoreRetryData;
    const at = iso(this.deps.clock.now());
    for (const failure of failures) {
      this.deps.events.failed(failure.importId, flow.id, failure.kind);
      await this.record(flow, job.id, pageError(flow.id, flow.listenerId, job, pageIndex, failure, keep, at, replayId));
    }
  }

  async record(flow: FlowDoc, jobId: string, error: DeliveryErrorDoc): Promise<void> {
    if (error.kind === 'oversized' || error.kind === 'mapping') this.deps.events.failed(null, flow.id, error.kind);
    // A page re-sent after a crash finds its error stored already: it opened then, not now.
    if (await this.deps.store.delivery.insertError(error)) this.opened(error, false, error.createdAt);
    this.deps.progress.jobFailed(flow.id, jobId);
  }

  opened(error: Omit<DeliveryErrorDoc, 'retryData'>, reopened: boolean, at: string): void {
    this.deps.events.errorOpened({
      flowId: error.flowId, importId: error.importId, errorId: error.id, jobId: error.jobId, pageIndex: error.pageIndex,
      kind: error.kind, status: error.response?.status ?? null, message: error.message, attempts: error.attempts, reopened, at,
    });
  }
}

/** The flow's own retry policy, stored already checked (FlowService), or undefined for each import's. */
function flowRetry(flow: FlowDoc): RetrySettings | undefined {
  return flow.retry ? normalizeRetry(flow.retry).settings : undefined;
}

export function jobContext(job: JobDoc): PageWork['job'] {
  return { id: job.id, seq: job.seq, requestId: job.requestId, receivedAt: job.receivedAt, recordCount: job.recordCount, meta: job.meta };
}

export function listenerContext(listenerId: string, listener: RuntimeListener | undefined): PageWork['listener'] {
  return { id: listenerId, name: listener?.settings.name ?? '' };
}

/**
 * The work for page `pageIndex` of a stored job, from the first import. The
 * records are parsed only when something reads them (a template, record mode, a
 * failure): a page-mode import without a template sends the stored text as is.
 */
export function storedPageWork(flow: FlowDoc, job: JobDoc, pageIndex: number, listener: RuntimeListener | undefined): PageWork | undefined {
  const page = job.pages[pageIndex];
  if (!page) return undefined;
  let records: unknown[] | undefined;
  return {
    flowId: flow.id, imports: flow.imports, fromImport: 0, job: jobContext(job), listener: listenerContext(job.listenerId, listener),
    pageIndex,
    get records() {
      return (records ??= JSON.parse(page.recordsJson) as unknown[]);
    },
    recordIndexes: Array.from({ length: page.count }, (_, i) => i), traceKeys: page.traceKeys, dataUris: page.dataUris,
    recordsJson: page.recordsJson,
  };
}
