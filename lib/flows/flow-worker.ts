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
 * a recorded error, and never skips a page (at-least-once, FIFO); a failure
 * becomes an error and the flow moves on, so one bad page never stalls the
 * queue. With nothing to do the worker sleeps until woken (a job appended, the
 * flow changed) or the poll interval passes (jobs appended by another instance).
 *
 * Throughput (issue 16): pages at the cursor come from a window of jobs read
 * ahead (job-window.ts); the cursor's moves are committed in batches while the
 * next pages are sent (cursor-progress.ts, which states what a crash re-sends:
 * the page in flight and at most the pages of the last 10 ms); and the store
 * is asked for the flow's state (lease term, cursor), resubmitted errors and
 * replays only when there may be news: when woken by a change in this process
 * (a resubmit, a replay, the flow edited), once a waiting replay's turn comes,
 * and otherwise every CHECK_EVERY_PAGES pages or CHECK_EVERY_MS — which bounds
 * how late a change made through another instance is seen while the flow is busy.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { FlowDoc, JobDoc, Store } from '../store/store';
import type { ImportRuntimes } from '../imports/import-runtime';
import type { RuntimeListener } from '../ingest/runtime-listener';
import type { JobProgress } from './after-flow';
import type { DeliveryEvents } from './delivery-events';
import { hasRecordErrors, recordErrors } from './delivery-error-docs';
import { announceCommit, CursorProgress } from './cursor-progress';
import { FlowLoop } from './flow-loop';
import { JobWindow } from './job-window';
import { iso, PageRunner, storedPageWork } from './page-runner';
import { sendResubmittedOrReplayed } from './resend-and-replay';
import { RetryWaits } from './retry-waits';
import { routedElsewhere } from './tenant-routing';

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

/** While busy, the flow's state, resubmitted errors and replays are read again after this many pages… */
export const CHECK_EVERY_PAGES = 200;
/** …or this long, whichever comes first. */
export const CHECK_EVERY_MS = 100;

export class FlowWorker extends FlowLoop {
  private readonly waits: RetryWaits;
  private readonly runner: PageRunner;
  private window: JobWindow;
  /** The cursor under the lease term held, from the last check of the flow's state. */
  private progress: CursorProgress | undefined;
  private checkedAt = 0;
  private pagesSinceCheck = 0;
  /** A replay waits for the cursor to pass this seq. */
  private replayAfter: number | null = null;

  constructor(flow: FlowDoc, deps: WorkerDeps) {
    super(flow, deps);
    this.waits = new RetryWaits(deps.store.schedule, flow.id);
    this.runner = new PageRunner(deps, this.lease, this.waits, () => this.stopped);
    this.window = new JobWindow(deps.store, flow.listenerId);
  }

  /** New settings take effect at the next page; disabling gives the page in flight up (it is sent again when enabled). */
  override update(flow: FlowDoc): void {
    if (flow.listenerId !== this.flow.listenerId) this.window = new JobWindow(this.deps.store, flow.listenerId);
    super.update(flow);
  }

  protected cutWaits(reason: string): void {
    this.runner.cutWaits(reason);
  }

  protected interrupt(reason: string): void {
    this.runner.interrupt(reason);
  }

  protected async finish(): Promise<void> {
    await this.progress?.settle();
  }

  /** One unit of work; false when there was nothing to do. */
  protected async step(): Promise<boolean> {
    const flow = this.flow;
    if (!flow.enabled || flow.imports.length === 0) {
      this.progress?.flush();
      return false;
    }
    if (this.progress?.broken) {
      // The store refused a move (another instance took the flow over) or failed: start over from it.
      const { error } = this.progress;
      if (error === undefined) this.lease.lost();
      this.startOver();
      if (error !== undefined) throw error;
      return true;
    }
    const term = await this.lease.hold(0);
    if (term === null) {
      // Whoever holds it may store a new wait; read it again once the lease is back.
      this.startOver();
      return false;
    }
    if (this.checkDue(term)) {
      const worked = await this.check(flow, term);
      if (worked !== undefined) return worked;
    }
    const progress = this.progress!;
    const job = await this.window.jobAfter(progress.position.seq);
    if (!job) {
      // Caught up: what was delivered is committed now, not on the batch's timer.
      progress.flush();
      return false;
    }
    await this.deliverAt(flow, job, progress);
    this.pagesSinceCheck++;
    // Bounds what a crash re-sends (cursor-progress.ts): no more than COMMIT_EVERY_PAGES finished and uncommitted.
    await progress.room();
    return true;
  }

  private checkDue(term: number): boolean {
    if (this.recheck || this.progress?.term !== term) return true;
    if (this.replayAfter !== null && this.progress.position.seq >= this.replayAfter) return true;
    return this.pagesSinceCheck >= CHECK_EVERY_PAGES || this.deps.clock.now() - this.checkedAt >= CHECK_EVERY_MS;
  }

  /**
   * Reads the flow's state, resubmitted errors and replays; sends one such page
   * (true), or finds the lease lost or the flow gone (false). Undefined: go on
   * with the page at the cursor.
   */
  private async check(flow: FlowDoc, term: number): Promise<boolean | undefined> {
    const { store } = this.deps;
    this.recheck = false;
    this.checkedAt = this.deps.clock.now();
    this.pagesSinceCheck = 0;
    // Moves still committing first, so that the stored cursor is this worker's.
    await this.progress?.settle();
    const state = await store.delivery.getFlowState(flow.id);
    if (!state) return false;
    if (state.lease?.term !== term || state.lease.owner !== this.deps.owner) {
      // Another instance took the flow over (our lease ran out): stop before the next page.
      this.lease.lost();
      this.startOver();
      return false;
    }
    const kept = this.progress;
    if (!kept || kept.broken || kept.term !== term || kept.position.seq !== state.cursor.seq || kept.position.page !== state.cursor.page) {
      this.progress = new CursorProgress(store, flow.id, term, state.cursor, (report) => announceCommit(this.deps, flow, report));
    }
    const other = await sendResubmittedOrReplayed(this.deps, this.runner, this.waits, flow, state.cursor.seq);
    if (other.replayAfter !== undefined) this.replayAfter = other.replayAfter;
    if (!other.sent) return undefined;
    this.recheck = true;
    return true;
  }

  /** Forgets what was read under the lease: the next step reads the flow's state again. */
  private startOver(): void {
    this.progress?.flush();
    this.waits.forget();
    this.window.forget();
    this.progress = undefined;
    this.recheck = true;
  }

  private async deliverAt(flow: FlowDoc, job: JobDoc, progress: CursorProgress): Promise<void> {
    const cursor = progress.position;
    const listener = await this.deps.listener(job.listenerId);
    // A shared listener's job for another tenant passes this flow untouched.
    const skip = await routedElsewhere(flow.imports, job.meta, this.deps.runtimes);
    if (cursor.page === 0 && !skip && hasRecordErrors(job)) {
      const now = iso(this.deps.clock.now());
      for (const error of recordErrors(flow.id, job, now)) await this.runner.record(flow, job.id, error);
    }
    const work = skip ? undefined : storedPageWork(flow, job, cursor.page, listener);
    if (work) {
      const outcome = await this.runner.run(flow, work);
      await this.runner.recordFailures(flow, job, cursor.page, outcome.failures, listener);
      await this.waits.pageDone('page', job.id, cursor.page);
      this.deps.progress.pageDone(flow.id, job.id, cursor.page, outcome.results);
    }
    const last = skip || cursor.page + 1 >= job.pages.length;
    if (last) progress.move({ seq: job.seq, page: 0 }, job.id);
    else progress.move({ seq: cursor.seq, page: cursor.page + 1 });
  }
}
