/**
 * The delivery loop of one flow. Each step, while the flow is enabled, has
 * imports and this instance holds the flow's lease:
 *
 *   1. an error resubmitted by the API, if any (oldest request first), else
 *   2. the next page of a replay whose turn has come (lib/flows/replay.ts), else
 *   3. the page at the flow's cursor: through the imports, failures recorded,
 *      then the cursor moved past it (compare-and-set).
 *
 * The cursor moves only after the page's imports finished, each with success or
 * a recorded error: a crash re-sends at most the page in flight and never skips
 * one (at-least-once, FIFO). A failure becomes an error and the flow moves on,
 * so one bad page never stalls the queue. With nothing to do the worker sleeps
 * until woken (a job appended, the flow changed) or the poll interval passes
 * (jobs appended by another instance).
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { DeliveryErrorDoc, FlowCursor, FlowDoc, JobDoc, ReplayDoc, Store } from '../store/store';
import type { ImportRuntimes } from '../imports/import-runtime';
import type { PreparedRequest } from '../imports/http-import';
import type { ImportRuntime } from '../imports/import-runtime';
import type { RuntimeListener } from '../ingest/runtime-listener';
import type { JobProgress } from './after-flow';
import type { DeliveryEvents } from './delivery-events';
import { recordErrors, pageError, retryRecords, type ErrorJob } from './delivery-errors';
import { FlowLease } from './flow-lease';
import { routedElsewhere } from './tenant-routing';
import { deliverPage, type PageFailure, type PageOutcome, type PageWork } from './page-delivery';
import { normalizeRetry, type RetrySettings } from '../imports/retry-schedule';
import { RetryWaits } from './retry-waits';
import { sendWithRetry } from './send-with-retry';

export interface WorkerDeps {
  store: Store;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  events: DeliveryEvents;
  progress: JobProgress;
  runtimes: ImportRuntimes;
  listener(listenerId: string): Promise<RuntimeListener | undefined>;
  random: () => number;
  /** This instance's name on leases. */
  owner: string;
  leaseMs: number;
  pollMs: number;
  /** How long a shutdown lets a request in flight finish before aborting it. */
  shutdownGraceMs: number;
}

/** Why a page was given up without an outcome; it is sent again later. */
export class PageInterrupted extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PageInterrupted';
  }
}

/** After a store fault, wait this long before trying again. */
const FAULT_PAUSE_MS = 1000;

const iso = (ms: number) => new Date(ms).toISOString();

/** What a page in flight can be interrupted through: its waits (backoff, rate limit) and its request. */
export interface PageControls {
  sleep: AbortController;
  request: AbortController;
}

/**
 * Members marked `protected` are what the keyed worker (lib/flows/keyed-worker.ts) builds
 * on: it keeps this loop, the lease, retries and replays, and replaces `deliverNext`.
 */
export class FlowWorker {
  private flow: FlowDoc;
  private readonly stopping = new AbortController();
  private page: PageControls | undefined;
  private woken = false;
  private wakeIdle: (() => void) | undefined;
  protected readonly lease: FlowLease;
  private job: JobDoc | undefined;
  private running: Promise<void> | undefined;
  private readonly waits: RetryWaits;

  constructor(flow: FlowDoc, protected readonly deps: WorkerDeps) {
    this.flow = flow;
    this.lease = new FlowLease(deps.store, deps.clock, flow.id, deps.owner, deps.leaseMs);
    this.waits = new RetryWaits(deps.store.schedule, flow.id);
  }

  get flowDoc(): FlowDoc {
    return this.flow;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** New settings take effect at the next page; disabling gives the page in flight up (it is sent again when enabled). */
  update(flow: FlowDoc): void {
    this.flow = flow;
    if (!flow.enabled) this.interruptPage('the flow was disabled');
    this.wake();
  }

  wake(): void {
    this.woken = true;
    this.wakeIdle?.();
  }

  /** Ends the loop: waits are cut at once, a request in flight gets `shutdownGraceMs` to finish. */
  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return this.running;
    this.stopping.abort(new PageInterrupted('shutting down'));
    this.page?.sleep.abort(new PageInterrupted('shutting down'));
    this.wake();
    // Wall time on purpose: however time is injected, a shutdown must end.
    const grace = setTimeout(() => this.page?.request.abort(new PageInterrupted('shutting down')), this.deps.shutdownGraceMs);
    try {
      await this.running;
    } finally {
      clearTimeout(grace);
    }
  }

  protected get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private interruptPage(reason: string): void {
    this.page?.sleep.abort(new PageInterrupted(reason));
    this.page?.request.abort(new PageInterrupted(reason));
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      let worked = false;
      try {
        worked = await this.step();
      } catch (error) {
        if (this.stopped) break;
        if (!(error instanceof PageInterrupted)) {
          this.deps.logger.warn({ err: error, flowId: this.flow.id }, 'delivery step failed; trying again');
          await this.idle(FAULT_PAUSE_MS);
        }
        continue;
      }
      if (!worked && !this.woken) await this.idle(this.deps.pollMs);
    }
    await this.lease.release().catch(() => undefined);
  }

  private async idle(ms: number): Promise<void> {
    const cancel = new AbortController();
    await new Promise<void>((resolve) => {
      this.wakeIdle = resolve;
      this.deps.scheduler.sleep(ms, { signal: cancel.signal, reason: 'poll' }).then(resolve, () => undefined);
    });
    this.wakeIdle = undefined;
    cancel.abort();
  }

  /** One unit of work; false when there was nothing to do. */
  private async step(): Promise<boolean> {
    const flow = this.flow;
    if (!flow.enabled || flow.imports.length === 0) return false;
    const term = await this.lease.hold(0);
    if (term === null) {
      // Whoever holds it may store a new wait; read it again once the lease is back.
      this.waits.forget();
      return false;
    }
    const state = await this.deps.store.delivery.getFlowState(flow.id);
    if (!state) return false;
    if (state.lease?.term !== term || state.lease.owner !== this.deps.owner) {
      // Another instance took the flow over (our lease ran out): stop before the next page.
      this.lease.lost();
      this.waits.forget();
      return false;
    }
    const retry = await this.deps.store.delivery.nextRetry(flow.id);
    if (retry) {
      await this.resend(flow, retry);
      return true;
    }
    const replay = await this.deps.store.schedule.nextReplay(flow.id);
    if (replay && state.cursor.seq >= replay.afterSeq) {
      await this.replayPage(flow, replay);
      return true;
    }
    return this.deliverNext(flow, state.cursor, term);
  }

  /** The pages at the cursor, after retries and replays had their turn; false when there was nothing to send. */
  protected async deliverNext(flow: FlowDoc, cursor: FlowCursor, term: number): Promise<boolean> {
    const job = await this.jobAfter(flow.listenerId, cursor.seq);
    if (!job) return false;
    await this.deliverAt(flow, job, cursor, term);
    return true;
  }

  /** The job after `seq`, cached while its pages are delivered one by one. */
  private async jobAfter(listenerId: string, seq: number): Promise<JobDoc | undefined> {
    if (this.job?.seq === seq + 1 && this.job.listenerId === listenerId) return this.job;
    [this.job] = await this.deps.store.readJobs(listenerId, seq, 1);
    return this.job;
  }

  private async deliverAt(flow: FlowDoc, job: JobDoc, cursor: FlowCursor, term: number): Promise<void> {
    const listener = await this.deps.listener(job.listenerId);
    const now = iso(this.deps.clock.now());
    // A shared listener's job for another tenant passes this flow untouched.
    const skip = await routedElsewhere(flow.imports, job.meta, this.deps.runtimes);
    if (cursor.page === 0 && !skip) {
      for (const error of recordErrors(flow.id, job, now)) await this.record(flow, job.id, error);
    }
    const page = skip ? undefined : job.pages[cursor.page];
    if (page) {
      const records = JSON.parse(page.recordsJson) as unknown[];
      const outcome = await this.runPage(flow, {
        flowId: flow.id, imports: flow.imports, fromImport: 0, job: jobContext(job), listener: listenerContext(job.listenerId, listener),
        pageIndex: cursor.page, records, recordIndexes: records.map((_, i) => i), traceKeys: page.traceKeys, dataUris: page.dataUris,
        recordsJson: page.recordsJson,
      });
      await this.recordFailures(flow, job, cursor.page, outcome.failures, listener);
      await this.waits.pageDone('page', job.id, cursor.page);
      this.deps.progress.pageDone(flow.id, job.id, cursor.page, outcome.results);
    }
    const last = skip || cursor.page + 1 >= job.pages.length;
    const next = last ? { seq: job.seq, page: 0 } : { seq: cursor.seq, page: cursor.page + 1 };
    const moved = await this.deps.store.advanceFlowCursor(flow.id, term, cursor, next);
    // Only this term's holder moves the cursor: not moving means the term is over.
    if (!moved) this.lease.lost();
    if (moved && last) {
      this.deps.progress.jobPassed(flow.id, job.id);
      if (this.deps.events.wantsDepth) this.deps.events.queueDepth(flow.id, flow.listenerId, await this.deps.store.queueDepth(flow.id));
    }
    this.deps.events.settled(flow.id);
  }

  /** Sends an error's records again, from the import that failed; see DeliveryStore.finishRetry. */
  private async resend(flow: FlowDoc, error: DeliveryErrorDoc): Promise<void> {
    const { store, clock } = this.deps;
    const job = await store.getJob(error.jobId);
    const records = retryRecords(error, job);
    const fromImport = error.importId === null ? -1 : flow.imports.indexOf(error.importId);
    if (!records || error.pageIndex === null || fromImport < 0) {
      const message = !records || error.pageIndex === null ? 'nothing to send: the records were not kept' : `import ${error.importId} is no longer in the flow`;
      await store.delivery.finishRetry(error.id, iso(clock.now()), { kind: 'config', message, response: null, attempts: 0, importId: error.importId, importIndex: error.importIndex });
      this.deps.events.settled(flow.id);
      return;
    }
    const listener = await this.deps.listener(error.listenerId);
    const errorJob: ErrorJob = { id: error.jobId, seq: error.jobSeq, requestId: error.requestId, receivedAt: error.receivedAt };
    const outcome = await this.runPage(flow, {
      flowId: flow.id, imports: flow.imports, fromImport,
      job: job ? jobContext(job) : { ...errorJob, recordCount: records.length, meta: {} },
      listener: listenerContext(error.listenerId, listener), pageIndex: error.pageIndex, records, recordIndexes: error.recordIndexes,
      traceKeys: error.traceKeys, dataUris: error.dataUris, recordsJson: error.retryData?.recordsJson, source: `error:${error.id}`,
    });
    const again = outcome.failures.find((f) => f.importIndex === fromImport);
    const later = outcome.failures.filter((f) => f !== again);
    await this.recordFailures(flow, errorJob, error.pageIndex, later, listener);
    await this.waits.pageDone(`error:${error.id}`, error.jobId, error.pageIndex);
    const at = iso(clock.now());
    if (again) {
      this.deps.events.failed(again.importId, flow.id, again.kind);
      const reopened = await store.delivery.finishRetry(error.id, at, {
        kind: again.kind, message: again.message, response: again.response, attempts: again.attempts, importId: again.importId, importIndex: again.importIndex,
      });
      if (reopened) this.opened({ ...error, ...again, status: 'open' }, true, at);
    } else {
      await store.delivery.finishRetry(error.id, at, null);
    }
    this.deps.events.settled(flow.id);
  }

  /**
   * `own`: the caller's controls for a page run beside others (the keyed worker); such a
   * page stores no retry wait, as the flow has one stored wait for its one serial request.
   */
  protected async runPage(flow: FlowDoc, work: PageWork, own?: PageControls): Promise<PageOutcome> {
    const page = own ?? { sleep: new AbortController(), request: new AbortController() };
    if (!own) this.page = page;
    const timeoutOf = (runtime: ImportRuntime) => runtime.state.settings.timeoutSeconds * 1000;
    try {
      return await deliverPage(work, {
        runtime: (id) => this.deps.runtimes.get(id),
        send: (runtime, request: PreparedRequest, unit) =>
          sendWithRetry(runtime, request, {
            clock: this.deps.clock, scheduler: this.deps.scheduler, random: this.deps.random, events: this.deps.events, flowId: flow.id,
            sleepSignal: page.sleep.signal, requestSignal: page.request.signal, retries: true, unit, waits: own ? undefined : this.waits, retry: flowRetry(flow),
            beforeAttempt: async (runtime) => {
              if (this.stopped || page.sleep.signal.aborted) throw new PageInterrupted('interrupted');
              if ((await this.lease.hold(timeoutOf(runtime))) === null) {
                this.waits.forget();
                throw new PageInterrupted('the flow lease was lost');
              }
            },
          }),
        checkpoint: () => {
          if (this.stopped || page.sleep.signal.aborted) throw new PageInterrupted('interrupted');
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
  protected async recordFailures(
    flow: FlowDoc, job: ErrorJob, pageIndex: number, failures: readonly PageFailure[], listener: RuntimeListener | undefined, replayId?: string,
  ): Promise<void> {
    const keep = !listener?.settings.doNotStoreRetryData;
    const at = iso(this.deps.clock.now());
    for (const failure of failures) {
      this.deps.events.failed(failure.importId, flow.id, failure.kind);
      await this.record(flow, job.id, pageError(flow.id, flow.listenerId, job, pageIndex, failure, keep, at, replayId));
    }
  }

  protected async record(flow: FlowDoc, jobId: string, error: DeliveryErrorDoc): Promise<void> {
    if (error.kind === 'oversized' || error.kind === 'mapping') this.deps.events.failed(null, flow.id, error.kind);
    // A page re-sent after a crash finds its error stored already: it opened then, not now.
    if (await this.deps.store.delivery.insertError(error)) this.opened(error, false, error.createdAt);
    this.deps.progress.jobFailed(flow.id, jobId);
  }

  private opened(error: Omit<DeliveryErrorDoc, 'retryData'>, reopened: boolean, at: string): void {
    this.deps.events.errorOpened({
      flowId: error.flowId, importId: error.importId, errorId: error.id, jobId: error.jobId, pageIndex: error.pageIndex,
      kind: error.kind, status: error.response?.status ?? null, message: error.message, attempts: error.attempts, reopened, at,
    });
  }

  /** Sends the next page of a replay (header Hookport-Replay), records its failures, and moves the replay on. */
  private async replayPage(flow: FlowDoc, replay: ReplayDoc): Promise<void> {
    const { store } = this.deps;
    const job = await store.getJob(replay.jobId);
    const page = job?.pages[replay.page];
    if (job && page) {
      const listener = await this.deps.listener(job.listenerId);
      const records = JSON.parse(page.recordsJson) as unknown[];
      const source = `replay:${replay.id}`;
      const outcome = await this.runPage(flow, {
        flowId: flow.id, imports: flow.imports, fromImport: 0, job: jobContext(job), listener: listenerContext(job.listenerId, listener),
        pageIndex: replay.page, records, recordIndexes: records.map((_, i) => i), traceKeys: page.traceKeys, dataUris: page.dataUris,
        recordsJson: page.recordsJson, source, replay: true,
      });
      await this.recordFailures(flow, job, replay.page, outcome.failures, listener, replay.id);
      await this.waits.pageDone(source, job.id, replay.page);
    } else if (!job) {
      this.deps.logger.warn({ flowId: flow.id, jobId: replay.jobId, replayId: replay.id }, 'a replayed job is no longer kept; replay dropped');
    }
    const next = job && replay.page + 1 < job.pages.length ? replay.page + 1 : null;
    await store.schedule.advanceReplay(replay.id, replay.page, next);
    this.deps.events.settled(flow.id);
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
