/**
 * The delivery engine: one worker per flow (FlowWorker, one page at a time; or
 * KeyedFlowWorker for `delivery.concurrency` > 1, replaced when that changes), kept in step with the admin
 * API (flows and imports created, changed, deleted), woken the moment the
 * ingest path appends a job, and a periodic purge of jobs every flow has passed.
 *
 * Wake-up: the engine is an IngestObserver, so an accepted request wakes its
 * listener's workers in-process right after the response is written (afterFlow
 * waits wake them before). Workers also poll every `pollMs`, which is how jobs
 * appended by another instance sharing the store are found; and every
 * `syncEveryMs` the engine re-reads flows and imports, which is how changes made
 * through another instance reach this one.
 */
import type { FlowDoc } from '../store/store';
import type { Exchange, IngestObserver } from '../ingest/exchange';
import type { ListenerRegistry } from '../ingest/listener-registry';
import type { FlowObserver } from './flow-service';
import { FlowWorker, type WorkerDeps } from './flow-worker';
import { KeyedFlowWorker } from './keyed-worker';
import { isParallel } from './ordering-key';
import { purgeCompletedJobs } from './purge';

export interface EngineOptions extends Pick<WorkerDeps, 'store' | 'clock' | 'scheduler' | 'logger' | 'events' | 'progress' | 'runtimes' | 'owner'> {
  registry: ListenerRegistry;
  /** Keep jobs every flow has passed this long after they arrived (config `jobs.retainCompletedHours`). */
  retainCompletedMs: number;
  leaseMs?: number;
  pollMs?: number;
  purgeEveryMs?: number;
  syncEveryMs?: number;
  shutdownGraceMs?: number;
  random?: () => number;
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_POLL_MS = 5_000;
const DEFAULT_PURGE_EVERY_MS = 10 * 60_000;
const DEFAULT_SYNC_EVERY_MS = 30_000;
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** What the engine asks of a flow's worker, FIFO or keyed. */
type DeliveryWorker = Pick<FlowWorker, 'flowDoc' | 'start' | 'update' | 'wake' | 'jobAppended' | 'stop'>;

export class DeliveryEngine implements FlowObserver, IngestObserver {
  private readonly workers = new Map<string, DeliveryWorker>();
  /**
   * Flows whose worker is being replaced by the other kind: the old one is still
   * stopping (its pages in flight end, up to the shutdown grace) and holds the
   * lease. Changes meanwhile only update the flow the next worker starts with
   * (null: the flow was deleted), so no second worker sends beside the old one.
   */
  private readonly switching = new Map<string, { next: FlowDoc | null; stopped: Promise<void> }>();
  /** The same workers by listener: each accepted webhook wakes its listener's without a scan. */
  private readonly byListener = new Map<string, Set<DeliveryWorker>>();
  private readonly workerDeps: WorkerDeps;
  private started = false;
  private readonly stopBackground = new AbortController();
  private background: Array<Promise<void>> = [];

  constructor(private readonly options: EngineOptions) {
    const { store, clock, scheduler, logger, events, progress, runtimes, registry, owner } = options;
    this.workerDeps = {
      store, clock, scheduler, logger, events, progress, runtimes, owner,
      listener: (id) => registry.find(id),
      random: options.random ?? Math.random,
      leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
      pollMs: options.pollMs ?? DEFAULT_POLL_MS,
      shutdownGraceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
    };
  }

  /** Starts a worker for every flow, the purge and the sync. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const flow of await this.allFlows()) this.ensureWorker(flow);
    const { purgeEveryMs = DEFAULT_PURGE_EVERY_MS, syncEveryMs = DEFAULT_SYNC_EVERY_MS } = this.options;
    this.background = [
      this.every(purgeEveryMs, 'purge', () => this.purgeNow(), true),
      this.every(syncEveryMs, 'poll', () => this.syncFlows(), false),
    ];
  }

  /** Stops every worker (see FlowWorker.stop), the purge and the sync. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopBackground.abort();
    const workers = [...this.workers.values()];
    this.workers.clear();
    this.byListener.clear();
    await Promise.all([...workers.map((worker) => worker.stop()), ...[...this.switching.values()].map((switched) => switched.stopped)]);
    await Promise.all(this.background);
  }

  /**
   * Brings workers in line with the stored flows (created, changed or deleted
   * through another instance) and drops cached imports that changed.
   */
  async syncFlows(): Promise<void> {
    const stored = await this.allFlows();
    if (!this.started) return;
    const seen = new Set<string>();
    for (const flow of stored) {
      seen.add(flow.id);
      const worker = this.workers.get(flow.id);
      if (!worker) this.ensureWorker(flow);
      else if (worker.flowDoc.updatedAt !== flow.updatedAt) this.flowChanged(flow);
    }
    for (const id of [...this.workers.keys()]) {
      // A flow created here after the listing is not gone: ask for it before stopping its worker.
      if (!seen.has(id) && !(await this.options.store.flows.get(id))) this.flowChanged({ id, deleted: true });
    }
    await this.options.runtimes.dropChanged();
  }

  flowChanged(flow: FlowDoc | { id: string; deleted: true }): void {
    if ('deleted' in flow) {
      const switched = this.switching.get(flow.id);
      if (switched) switched.next = null;
      const worker = this.workers.get(flow.id);
      this.workers.delete(flow.id);
      if (worker) this.byListener.get(worker.flowDoc.listenerId)?.delete(worker);
      void worker?.stop();
      this.options.store.delivery.deleteFlowErrors(flow.id).catch((error) => this.options.logger.warn({ err: error, flowId: flow.id }, 'could not delete the errors of a deleted flow'));
      return;
    }
    if (!this.started) return;
    const worker = this.workers.get(flow.id);
    if (worker && isParallel(worker.flowDoc) !== isParallel(flow)) this.switchWorker(worker, flow);
    else if (worker) worker.update(flow);
    else this.ensureWorker(flow);
  }

  observe(exchange: Exchange): void {
    if (exchange.jobId && exchange.listener) this.jobAppended(exchange.listener.id);
  }

  /** Wakes the workers of a listener's flows: a job was appended. */
  jobAppended(listenerId: string): void {
    for (const worker of this.byListener.get(listenerId) ?? []) {
      const flow = worker.flowDoc;
      worker.jobAppended();
      if (this.options.events.wantsDepth) {
        this.options.store.queueDepth(flow.id).then(
          (depth) => this.options.events.queueDepth(flow.id, listenerId, depth),
          () => undefined,
        );
      }
    }
  }

  /** Wakes one flow's worker (an error was resubmitted). */
  wakeFlow(flowId: string): void {
    this.workers.get(flowId)?.wake();
  }

  /** Runs the purge now; resolves with how many jobs went. */
  purgeNow(): Promise<number> {
    const { store, clock, retainCompletedMs } = this.options;
    return purgeCompletedJobs(store, clock.now() - retainCompletedMs);
  }

  /** The other kind of worker takes over once `worker` has stopped: its pages in flight ended or the grace ran out. */
  private switchWorker(worker: DeliveryWorker, flow: FlowDoc): void {
    this.workers.delete(flow.id);
    this.byListener.get(worker.flowDoc.listenerId)?.delete(worker);
    const switched = {
      next: flow as FlowDoc | null,
      stopped: worker.stop().catch((error: unknown) => this.options.logger.warn({ err: error, flowId: flow.id }, 'could not stop a flow worker')).then(() => {
        this.switching.delete(flow.id);
        if (switched.next && this.started) this.ensureWorker(switched.next);
      }),
    };
    this.switching.set(flow.id, switched);
  }

  private ensureWorker(flow: FlowDoc): void {
    if (this.workers.has(flow.id)) return;
    const switched = this.switching.get(flow.id);
    if (switched) {
      // An older copy (a sync's listing read before a change) does not replace a newer one.
      if (switched.next && switched.next.updatedAt <= flow.updatedAt) switched.next = flow;
      return;
    }
    const worker = isParallel(flow) ? new KeyedFlowWorker(flow, this.workerDeps) : new FlowWorker(flow, this.workerDeps);
    this.workers.set(flow.id, worker);
    let siblings = this.byListener.get(flow.listenerId);
    if (!siblings) this.byListener.set(flow.listenerId, (siblings = new Set()));
    siblings.add(worker);
    worker.start();
  }

  private async allFlows(): Promise<FlowDoc[]> {
    const flows: FlowDoc[] = [];
    let after: string | undefined;
    do {
      const listPage = await this.options.store.flows.list({ limit: 500, after });
      flows.push(...listPage.items);
      after = listPage.nextCursor ?? undefined;
    } while (after);
    return flows;
  }

  /** Runs `task` every `ms` until stopped (first at once when `now`); a failure is logged and the loop goes on. */
  private async every(ms: number, reason: string, task: () => Promise<unknown>, now: boolean): Promise<void> {
    const { signal } = this.stopBackground;
    for (let first = true; !signal.aborted; first = false) {
      if (!first || !now) {
        try {
          await this.options.scheduler.sleep(ms, { signal, reason });
        } catch {
          return;
        }
      }
      try {
        await task();
      } catch (error) {
        this.options.logger.warn({ err: error, task: reason }, 'delivery housekeeping failed; trying again later');
      }
    }
  }
}
