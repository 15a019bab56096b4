/**
 * The delivery loop of a flow with `delivery.concurrency` > 1 (docs/flows.md,
 * "Parallel delivery"): up to `concurrency` pages in flight at once; pages with
 * the same ordering key (lib/flows/ordering-key.ts) one at a time in arrival
 * order; without an orderingKey, no order at all. A flow with concurrency 1 keeps
 * the FIFO worker (lib/flows/flow-worker.ts), which this one extends: its loop,
 * lease, resubmitted errors and replays (sent one at a time, between steps, as
 * there) are the same; only the pages at the cursor are sent differently.
 *
 * The stored cursor stays the low-water mark (every page before it is done);
 * pages done beyond it are remembered in memory (lib/flows/delivery-window.ts)
 * and the cursor jumps over them once the pages before them are done. Work runs
 * at most WINDOW_FACTOR × concurrency pages ahead of the cursor, so a crash sends
 * again at most that many pages (those done or in flight beyond the cursor),
 * with their usual idempotency keys; for each key they are sent again in order,
 * so first deliveries keep each key's order.
 *
 * What this does not do: a page in flight does not store its retry wait (the
 * flow has one stored wait, for its one serial request: a resubmitted error or
 * a replay), so after a restart such a page starts its retry schedule over. A
 * page at the front that retries for a long time holds the cursor, and once the
 * window is full behind it, the flow waits for it (head-of-line), as FIFO does.
 */
import type { FlowCursor, FlowDoc, JobDoc } from '../store/store';
import type { RuntimeListener } from '../ingest/runtime-listener';
import { recordErrors } from './delivery-errors';
import { DeliveryWindow, slotsOf, type Slot } from './delivery-window';
import { FlowWorker, jobContext, listenerContext, PageInterrupted, type PageControls, type WorkerDeps } from './flow-worker';
import { compilePageKey, deliveryOf, type PageKey } from './ordering-key';
import { routedElsewhere } from './tenant-routing';

/** How far ahead of the cursor pages may run, in multiples of `concurrency`: the bound on pages sent again after a crash. */
export const WINDOW_FACTOR = 4;

const iso = (ms: number) => new Date(ms).toISOString();

export class KeyedFlowWorker extends FlowWorker {
  private window: DeliveryWindow | undefined;
  private readonly inFlight = new Map<Slot, { controls: PageControls; done: Promise<void> }>();
  private keySource: string | null;
  private pageKey: PageKey;
  /** Resolves the step waiting for a page to finish or a wake-up. */
  private notify: (() => void) | undefined;
  /** A fault of a page (a store write failed): thrown by the next step, which pauses the loop. */
  private fault: unknown;
  /** Woken since the step began: new jobs may wait, so the step does not wait for a page to end. */
  private wokenInStep = false;

  constructor(flow: FlowDoc, deps: WorkerDeps) {
    super(flow, deps);
    this.keySource = deliveryOf(flow).orderingKey;
    this.pageKey = compilePageKey(this.keySource);
  }

  override update(flow: FlowDoc): void {
    if (!flow.enabled) this.interruptAll('the flow was disabled');
    super.update(flow);
  }

  override wake(): void {
    super.wake();
    this.wokenInStep = true;
    this.notify?.();
  }

  /** As FlowWorker.stop, for every page in flight: waits end at once, requests get `shutdownGraceMs`. */
  override async stop(): Promise<void> {
    for (const { controls } of this.inFlight.values()) controls.sleep.abort(new PageInterrupted('shutting down'));
    const grace = setTimeout(() => this.interruptAll('shutting down'), this.deps.shutdownGraceMs);
    try {
      await super.stop();
      await this.drain();
    } finally {
      clearTimeout(grace);
    }
  }

  private interruptAll(reason: string): void {
    for (const { controls } of this.inFlight.values()) {
      controls.sleep.abort(new PageInterrupted(reason));
      controls.request.abort(new PageInterrupted(reason));
    }
  }

  /** Waits for every page in flight to end (each is then done, or waiting again). */
  private async drain(): Promise<void> {
    await Promise.all([...this.inFlight.values()].map((page) => page.done));
  }

  protected override async deliverNext(flow: FlowDoc, cursor: FlowCursor, term: number): Promise<boolean> {
    if (this.fault !== undefined) {
      const fault = this.fault;
      this.fault = undefined;
      throw fault;
    }
    this.wokenInStep = false;
    const ready = await this.windowAt(flow, cursor, term);
    if (!ready) return true;
    await this.commit(flow, ready, term);
    if (this.window !== ready) return true;
    const { concurrency } = deliveryOf(flow);
    await this.fill(flow, ready, WINDOW_FACTOR * concurrency);
    for (const slot of ready.startable(WINDOW_FACTOR * concurrency, concurrency - this.inFlight.size)) this.startPage(flow, ready, slot);
    // Pages that ended during the awaits above are done but not yet passed: pass them before idling.
    if (this.inFlight.size === 0) return this.commit(flow, ready, term);
    if (!this.wokenInStep) await this.nextEvent();
    if (this.stopped || !this.flowDoc.enabled) await this.drain();
    await this.commit(flow, ready, term);
    return true;
  }

  /**
   * The window to work on, or undefined while pages of an outdated one end: a new
   * window starts at the stored cursor when there is none, the lease term changed,
   * or the cursor is not where this worker left it (another instance moved it).
   * A changed orderingKey re-keys the waiting pages once none is in flight.
   */
  private async windowAt(flow: FlowDoc, cursor: FlowCursor, term: number): Promise<DeliveryWindow | undefined> {
    const current = this.window;
    const outdated = !current || current.term !== term || current.cursor.seq !== cursor.seq || current.cursor.page !== cursor.page;
    const rekey = deliveryOf(flow).orderingKey !== this.keySource;
    if (!outdated && !rekey) return current;
    if (this.inFlight.size > 0) {
      if (outdated) this.interruptAll('the flow moved on without this worker');
      await this.drain();
      return undefined;
    }
    if (rekey) {
      this.keySource = deliveryOf(flow).orderingKey;
      this.pageKey = compilePageKey(this.keySource);
    }
    if (outdated) this.window = new DeliveryWindow(cursor, term);
    else {
      const listener = await this.deps.listener(flow.listenerId);
      current!.rekey((slot) => this.keyOf(slot.job, slot.pageIndex, listener));
    }
    return this.window;
  }

  /** Reads jobs after the window's last one until it holds `size` pages. */
  private async fill(flow: FlowDoc, window: DeliveryWindow, size: number): Promise<void> {
    while (window.length < size) {
      const from = window.readFrom;
      const jobs = await this.deps.store.readJobs(flow.listenerId, from.seq, Math.max(1, size - window.length));
      if (jobs.length === 0 || this.window !== window) return;
      const listener = await this.deps.listener(flow.listenerId);
      let at = from;
      for (const job of jobs) {
        const skip = await routedElsewhere(flow.imports, job.meta, this.deps.runtimes);
        window.add(slotsOf(job, at, skip, (pageIndex) => this.keyOf(job, pageIndex, listener)));
        at = { seq: job.seq, page: 0 };
      }
    }
  }

  private keyOf(job: JobDoc, pageIndex: number, listener: RuntimeListener | undefined): string | null {
    const page = job.pages[pageIndex]!;
    return this.pageKey({
      job: jobContext(job), listener: listenerContext(job.listenerId, listener), pageIndex,
      records: JSON.parse(page.recordsJson) as unknown[], traceKeys: page.traceKeys, dataUris: page.dataUris,
    });
  }

  private startPage(flow: FlowDoc, window: DeliveryWindow, slot: Slot): void {
    const controls: PageControls = { sleep: new AbortController(), request: new AbortController() };
    slot.state = 'running';
    const done = this.send(flow, slot, controls).then(
      () => {
        slot.state = 'done';
      },
      (error: unknown) => {
        slot.state = 'waiting';
        if (!(error instanceof PageInterrupted) && window === this.window) this.fault ??= error;
      },
    ).finally(() => {
      this.inFlight.delete(slot);
      this.notify?.();
    });
    this.inFlight.set(slot, { controls, done });
  }

  /** Resolves when a page in flight ends or the worker is woken (new jobs, a changed flow, a stop). */
  private nextEvent(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.notify = () => {
        this.notify = undefined;
        resolve();
      };
    });
  }

  /** One page through the imports, its failures recorded; the job's record errors first with its first page. */
  private async send(flow: FlowDoc, slot: Slot, controls: PageControls): Promise<void> {
    const { job, pageIndex } = slot;
    const listener = await this.deps.listener(job.listenerId);
    if (pageIndex === 0 && !slot.skip) {
      for (const error of recordErrors(flow.id, job, iso(this.deps.clock.now()))) await this.record(flow, job.id, error);
    }
    const page = slot.skip ? undefined : job.pages[pageIndex];
    if (!page) return;
    const records = JSON.parse(page.recordsJson) as unknown[];
    const outcome = await this.runPage(flow, {
      flowId: flow.id, imports: flow.imports, fromImport: 0, job: jobContext(job), listener: listenerContext(job.listenerId, listener),
      pageIndex, records, recordIndexes: records.map((_, i) => i), traceKeys: page.traceKeys, dataUris: page.dataUris, recordsJson: page.recordsJson,
    }, controls);
    await this.recordFailures(flow, job, pageIndex, outcome.failures, listener);
    this.deps.progress.pageDone(flow.id, job.id, pageIndex, outcome.results);
  }

  /** Moves the stored cursor over the done pages at the front; false when none was. A refused move means the lease term is over. */
  private async commit(flow: FlowDoc, window: DeliveryWindow, term: number): Promise<boolean> {
    if (this.window !== window) return false;
    const moved = window.advance();
    if (!moved) return false;
    if (!(await this.deps.store.advanceFlowCursor(flow.id, term, moved.from, moved.to))) {
      this.lease.lost();
      this.window = undefined;
      this.interruptAll('the flow lease was lost');
      return false;
    }
    for (const job of moved.passed) this.deps.progress.jobPassed(flow.id, job.id);
    if (moved.passed.length > 0 && this.deps.events.wantsDepth) {
      this.deps.events.queueDepth(flow.id, flow.listenerId, await this.deps.store.queueDepth(flow.id));
    }
    this.deps.events.settled(flow.id);
    return true;
  }
}
