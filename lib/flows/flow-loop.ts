/**
 * What every flow worker shares (FlowWorker: one page at a time; KeyedFlowWorker:
 * several): the loop that runs `step` while not stopped, its sleep until woken
 * (a job appended, the flow changed) or the poll interval passes, the pause
 * after a store fault, the flow's lease (given up when the loop ends), and the
 * shutdown: waits cut at once, requests in flight given `shutdownGraceMs`.
 * What a step sends, and how pages in flight are interrupted, is the worker's.
 */
import type { FlowDoc } from '../store/store';
import { FlowLease } from './flow-lease';
import type { WorkerDeps } from './flow-worker';
import { PageInterrupted } from './page-runner';

/** After a store fault, wait this long before trying again. */
const FAULT_PAUSE_MS = 1000;

export abstract class FlowLoop {
  protected flow: FlowDoc;
  protected readonly lease: FlowLease;
  /** Something changed in this process (flow, errors, replays): read the flow's state before the next page. */
  protected recheck = true;
  private readonly stopping = new AbortController();
  private woken = false;
  private wakeIdle: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(flow: FlowDoc, protected readonly deps: WorkerDeps) {
    this.flow = flow;
    this.lease = new FlowLease(deps.store, deps.clock, flow.id, deps.owner, deps.leaseMs);
  }

  get flowDoc(): FlowDoc {
    return this.flow;
  }

  start(): void {
    this.running ??= this.loop();
  }

  /** New settings take effect at the next page; disabling gives the pages in flight up (they are sent again when enabled). */
  update(flow: FlowDoc): void {
    this.flow = flow;
    if (!flow.enabled) this.interrupt('the flow was disabled');
    this.wake();
  }

  /** Something of this flow changed (an error resubmitted, a replay queued): look before the next page. */
  wake(): void {
    this.recheck = true;
    this.jobAppended();
  }

  /** A job was appended to the flow's listener: step again rather than sleep. */
  jobAppended(): void {
    this.nudge();
  }

  /** There is something to do: the loop steps again at once. */
  protected nudge(): void {
    this.woken = true;
    this.wakeIdle?.();
  }

  /** Ends the loop: waits are cut at once, requests in flight get `shutdownGraceMs` to finish. */
  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return this.running;
    this.stopping.abort(new PageInterrupted('shutting down'));
    this.cutWaits('shutting down');
    this.wake();
    // Wall time on purpose: however time is injected, a shutdown must end.
    const grace = setTimeout(() => this.interrupt('shutting down'), this.deps.shutdownGraceMs);
    try {
      await this.running;
    } finally {
      clearTimeout(grace);
    }
  }

  protected get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** One unit of work; false when there was nothing to do (the loop then sleeps until woken). */
  protected abstract step(): Promise<boolean>;

  /** Ends the waits (backoff, rate limit) of the pages in flight. */
  protected abstract cutWaits(reason: string): void;

  /** Ends the waits and aborts the requests of the pages in flight: they are sent again later. */
  protected abstract interrupt(reason: string): void;

  /** After the loop, before the lease is given up: commit what is done. */
  protected abstract finish(): Promise<void>;

  /** How long to sleep with nothing to do: the poll interval, or undefined to wait only for a wake-up. */
  protected idleMs(): number | undefined {
    return this.deps.pollMs;
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
      if (!worked && !this.woken) await this.idle(this.idleMs());
    }
    await this.finish();
    await this.lease.release().catch(() => undefined);
  }

  private async idle(ms: number | undefined): Promise<void> {
    const cancel = new AbortController();
    await new Promise<void>((resolve) => {
      this.wakeIdle = resolve;
      if (ms !== undefined) this.deps.scheduler.sleep(ms, { signal: cancel.signal, reason: 'poll' }).then(resolve, () => undefined);
    });
    this.wakeIdle = undefined;
    if (ms !== undefined) cancel.abort();
  }
}
