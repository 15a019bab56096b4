/**
 * The delivery loop of a flow with `delivery.concurrency` > 1 (docs/flows.md,
 * "Parallel delivery"): up to `concurrency` pages in flight at once; pages with
 * the same ordering key (lib/flows/ordering-key.ts) one at a time, in arrival
 * order; without an orderingKey, no order at all. A flow with concurrency 1 has
 * the FIFO worker (lib/flows/flow-worker.ts). Both send pages through the same
 * PageRunner; resubmitted errors and replays are sent one at a time here too
 * (lib/flows/resend-and-replay.ts), each alone: once the pages in flight have
 * ended, and no page starts until it is done.
 *
 * The stored cursor stays the low-water mark (every page before it is done);
 * pages done beyond it are remembered in memory only (lib/flows/delivery-window.ts)
 * and the cursor jumps over them once the pages before them are done; the move
 * commits while pages go on. Pages run at most WINDOW_FACTOR × concurrency pages
 * ahead of the STORED cursor (a move not committed yet still counts), so a crash
 * sends again at most that many pages — those done or in flight beyond it —
 * with their usual idempotency keys, each key's pages in order, so first
 * deliveries keep each key's order.
 *
 * Not here: a page in flight does not store its retry wait (the flow stores one
 * wait, for its serial request: a resubmitted error or a replay), so after a
 * restart such a page starts its retry schedule over. A page at the front that
 * retries for long holds the cursor; once the window is full behind it, the
 * flow waits for it (head-of-line), as FIFO does.
 */
import type { FlowCursor, FlowDoc, Store } from '../store/store';
import { announceCommit, CursorProgress, type CommitReport } from './cursor-progress';
import { hasRecordErrors, recordErrors } from './delivery-error-docs';
import { DeliveryWindow, type Slot } from './delivery-window';
import { FlowLoop } from './flow-loop';
import { CHECK_EVERY_MS, CHECK_EVERY_PAGES, type WorkerDeps } from './flow-worker';
import { deliveryOf } from './ordering-key';
import { iso, PageInterrupted, PageRunner, storedPageWork } from './page-runner';
import { sendResubmittedOrReplayed } from './resend-and-replay';
import { RetryWaits } from './retry-waits';
import { WindowReader } from './window-reader';

/** How far ahead of the stored cursor pages may run, in multiples of `concurrency`: the bound on pages sent again after a crash. */
export const WINDOW_FACTOR = 4;

/** The retry waits of a page sent beside others: not stored (the flow's one stored wait belongs to its serial request). */
class UnstoredWaits extends RetryWaits {
  override async take(): Promise<null> {
    return null;
  }

  override async save(): Promise<void> {}

  override async clear(): Promise<void> {}
}

const same = (a: FlowCursor, b: FlowCursor): boolean => a.seq === b.seq && a.page === b.page;
/** Whether cursor `a` stands beyond `b` in the listener's order. */
const after = (a: FlowCursor, b: FlowCursor): boolean => a.seq > b.seq || (a.seq === b.seq && a.page > b.page);

export class KeyedFlowWorker extends FlowLoop {
  /** For resubmitted errors and replays, sent one at a time with the flow's stored retry wait. */
  private readonly waits: RetryWaits;
  private readonly serial: PageRunner;
  private readonly unstored: RetryWaits;
  private window: DeliveryWindow | undefined;
  private progress: CursorProgress | undefined;
  private readonly inFlight = new Map<Slot, { runner: PageRunner; done: Promise<void> }>();
  /** Runners of pages that ended, used again (a runner keeps its signals until one is aborted). */
  private readonly spareRunners: PageRunner[] = [];
  private readonly reader: WindowReader;
  private checkedAt = 0;
  private endedSinceCheck = 0;
  private replayAfter: number | null = null;
  /** Pages passed whose cursor move is not committed yet: they count against the window. */
  private uncommitted = 0;
  /** The moves handed to the cursor and not committed yet, oldest first, with how many pages each passed. */
  private passes: Array<{ to: FlowCursor; count: number }> = [];
  /** A page's store fault: thrown by the next step, which pauses the loop. */
  private fault: { error: unknown } | undefined;

  constructor(flow: FlowDoc, deps: WorkerDeps) {
    super(flow, deps);
    this.waits = new RetryWaits(deps.store.schedule, flow.id);
    this.unstored = new UnstoredWaits(deps.store.schedule, flow.id);
    this.serial = new PageRunner(deps, this.lease, this.waits, () => this.stopped);
    this.reader = new WindowReader(deps, deliveryOf(flow).orderingKey);
  }

  override jobAppended(): void {
    this.reader.readAgain();
    super.jobAppended();
  }

  protected cutWaits(reason: string): void {
    this.serial.cutWaits(reason);
    for (const { runner } of this.inFlight.values()) runner.cutWaits(reason);
  }

  protected interrupt(reason: string): void {
    this.serial.interrupt(reason);
    for (const { runner } of this.inFlight.values()) runner.interrupt(reason);
  }

  /** Pages that end within the shutdown's grace are passed, so that a restart does not send them again. */
  protected async finish(): Promise<void> {
    await this.pagesEnded();
    if (this.window && this.progress && !this.progress.broken) this.pass(this.window, this.progress);
    await this.progress?.settle();
  }

  /** With pages in flight, their ends bring the next step: no poll timer then. */
  protected override idleMs(): number | undefined {
    return this.inFlight.size > 0 ? undefined : this.deps.pollMs;
  }

  /** One round: pass the done pages, read the flow's state when due, start what may start. False when nothing moved. */
  protected async step(): Promise<boolean> {
    if (this.fault) {
      const { error } = this.fault;
      this.fault = undefined;
      throw error;
    }
    const flow = this.flow;
    if (!flow.enabled || flow.imports.length === 0) {
      this.progress?.flush();
      return false;
    }
    if (this.progress?.broken) {
      // The store refused a move (another instance took the flow over) or failed: start over from it.
      const { error } = this.progress;
      if (error === undefined) this.lease.lost();
      this.startOver('the flow moved on without this worker');
      if (error !== undefined) throw error;
      return true;
    }
    const term = await this.lease.hold(0);
    if (term === null) {
      this.startOver('the flow lease was lost');
      return false;
    }
    if (this.checkDue(term)) {
      const worked = await this.check(flow, term);
      if (worked !== undefined) return worked;
    }
    const window = this.window!;
    const passed = this.pass(window, this.progress!);
    if (this.reader.keySource !== deliveryOf(flow).orderingKey && !(await this.rekey(flow, window))) return passed;
    // Pages start from what the window holds first, then once more after reading jobs: the read does not delay them.
    const started = this.startPages(flow, window);
    const size = WINDOW_FACTOR * deliveryOf(flow).concurrency;
    await this.reader.fill(flow, window, size, () => this.window === window);
    const worked = passed || started + (this.window === window ? this.startPages(flow, window) : 0) > 0;
    // Nothing more to do for now: what was passed is committed now, not on the batch's timer.
    if (!worked) this.progress?.flush();
    return worked;
  }

  /**
   * Starts what may start, within the window counted from the STORED cursor: the
   * pages passed but not committed yet count against it, so the bound on what a
   * crash sends again holds while commits run beside the pages.
   */
  private startPages(flow: FlowDoc, window: DeliveryWindow): number {
    const { concurrency } = deliveryOf(flow);
    const room = concurrency - this.inFlight.size;
    const slots = window.startable(Math.max(0, WINDOW_FACTOR * concurrency - this.uncommitted), room);
    for (const slot of slots) this.startPage(flow, window, slot);
    // Pages wait for moves not committed yet: commit them now rather than with the batch.
    if (slots.length < room && this.uncommitted > 0) this.progress?.flush();
    return slots.length;
  }

  private checkDue(term: number): boolean {
    if (this.recheck || this.window?.term !== term) return true;
    if (this.replayAfter !== null && this.window.cursor.seq >= this.replayAfter) return true;
    return this.endedSinceCheck >= CHECK_EVERY_PAGES || this.deps.clock.now() - this.checkedAt >= CHECK_EVERY_MS;
  }

  /**
   * Reads the flow's state, resubmitted errors and replays (as FlowWorker.check):
   * sends one such page (true), finds the lease lost or the flow gone (false), or
   * undefined: go on with the pages at the cursor. A window the stored cursor no
   * longer matches (a takeover, a new term) is given up and started anew from it.
   */
  private async check(flow: FlowDoc, term: number): Promise<boolean | undefined> {
    const store: Store = this.deps.store;
    this.recheck = false;
    this.checkedAt = this.deps.clock.now();
    this.reader.readAgain();
    this.endedSinceCheck = 0;
    await this.progress?.settle();
    const state = await store.delivery.getFlowState(flow.id);
    if (!state) return false;
    if (state.lease?.term !== term || state.lease.owner !== this.deps.owner) {
      this.lease.lost();
      this.startOver('the flow lease was lost');
      return false;
    }
    const window = this.window;
    if (!window || !this.progress || this.progress.broken || window.term !== term || !same(window.cursor, state.cursor)) {
      if (window) this.startOver('the flow moved on without this worker');
      await this.pagesEnded();
      this.window = new DeliveryWindow(state.cursor, term);
      this.uncommitted = 0;
      this.passes = [];
      const progress: CursorProgress = new CursorProgress(store, flow.id, term, state.cursor, (report) => this.committed(flow, progress, report));
      this.progress = progress;
    }
    // A resubmitted error or a replay is sent alone: after the pages in flight end, before any other starts.
    const other = await sendResubmittedOrReplayed(this.deps, this.serial, this.waits, flow, state.cursor.seq, () => this.pagesEnded());
    if (other.replayAfter !== undefined) this.replayAfter = other.replayAfter;
    if (!other.sent) return undefined;
    this.recheck = true;
    return true;
  }

  /** Resolves once every page in flight has ended (delivered, recorded as an error or given up). */
  private async pagesEnded(): Promise<void> {
    await Promise.all([...this.inFlight.values()].map((page) => page.done));
  }

  /** Gives every page in flight up and forgets what was read: the next step starts from the stored cursor. */
  private startOver(reason: string): void {
    for (const { runner } of this.inFlight.values()) runner.interrupt(reason);
    this.waits.forget();
    this.window = undefined;
    this.progress?.flush();
    this.progress = undefined;
    this.uncommitted = 0;
    this.passes = [];
    this.recheck = true;
  }

  /** Hands the done pages at the window's front to the cursor, committed with its next batch (cursor-progress.ts); true when it moved. */
  private pass(window: DeliveryWindow, progress: CursorProgress): boolean {
    const moved = window.advance();
    if (!moved) return false;
    for (const job of moved.passed) progress.move({ seq: job.seq, page: 0 }, job.id);
    progress.move(moved.to);
    this.passes.push({ to: moved.to, count: moved.count });
    this.uncommitted += moved.count;
    return true;
  }

  /**
   * The flow's orderingKey changed: false while pages are in flight (nothing new
   * starts until they end); then the waiting pages get their new keys.
   */
  private async rekey(flow: FlowDoc, window: DeliveryWindow): Promise<boolean> {
    if (this.inFlight.size > 0) return false;
    await this.reader.rekey(flow, window, deliveryOf(flow).orderingKey);
    return true;
  }

  private startPage(flow: FlowDoc, window: DeliveryWindow, slot: Slot): void {
    const runner = this.spareRunners.pop() ?? new PageRunner(this.deps, this.lease, this.unstored, () => this.stopped);
    slot.state = 'running';
    const done = this.send(flow, slot, runner).then(
      () => {
        slot.state = 'done';
      },
      (error: unknown) => {
        slot.state = 'waiting';
        if (!(error instanceof PageInterrupted) && window === this.window) this.fault ??= { error };
      },
    ).finally(() => {
      this.inFlight.delete(slot);
      this.spareRunners.push(runner);
      this.endedSinceCheck++;
      this.nudge();
    });
    this.inFlight.set(slot, { runner, done });
  }

  /** One page through the imports, its failures recorded; a job's record errors go with its first page. */
  private async send(flow: FlowDoc, slot: Slot, runner: PageRunner): Promise<void> {
    const { job, pageIndex } = slot;
    if (slot.skip) return;
    const listener = await this.deps.listener(job.listenerId);
    if (pageIndex === 0 && hasRecordErrors(job)) {
      for (const error of recordErrors(flow.id, job, iso(this.deps.clock.now()))) await runner.record(flow, job.id, error);
    }
    const work = storedPageWork(flow, job, pageIndex, listener);
    if (!work) return;
    const outcome = await runner.run(flow, work);
    await runner.recordFailures(flow, job, pageIndex, outcome.failures, listener);
    this.deps.progress.pageDone(flow.id, job.id, pageIndex, outcome.results);
  }

  /** A move of the cursor committed (or was refused: the next step starts over); the pages it passed free the window. */
  private committed(flow: FlowDoc, from: CursorProgress, report: CommitReport): void {
    if (report.moved && from === this.progress) {
      const stored = from.storedPosition;
      while (this.passes.length > 0 && !after(this.passes[0]!.to, stored)) this.uncommitted -= this.passes.shift()!.count;
      this.nudge();
    }
    announceCommit(this.deps, flow, report);
  }
}
