/**
 * Fills a keyed flow's DeliveryWindow (lib/flows/delivery-window.ts) from the
 * store: the jobs after the last one read, each page with its ordering key
 * (lib/flows/ordering-key.ts) rendered once, when read; and gives the waiting
 * pages new keys when the flow's orderingKey changes. A job routed to another
 * tenant (lib/flows/tenant-routing.ts) is decided when read, too.
 */
import type { FlowDoc } from '../store/store';
import type { RuntimeListener } from '../ingest/runtime-listener';
import { slotsOf, type DeliveryWindow, type Slot } from './delivery-window';
import type { WorkerDeps } from './flow-worker';
import { jobBytes, WINDOW_BYTES } from './job-window';
import { compilePageKey, type PageKey } from './ordering-key';
import { storedPageWork } from './page-runner';
import { routedElsewhere } from './tenant-routing';

export class WindowReader {
  private source: string | null;
  private pageKey: PageKey;
  /** The last read found no more jobs: none is read again until one is appended or the flow's state is checked. */
  private caughtUp = false;
  /** Counts calls of readAgain: one during a read means that read may have missed a job. */
  private appended = 0;
  /** The stored text of a job, on average over the last read: how many jobs the next read asks for. The first read asks for one job. */
  private bytesPerJob = WINDOW_BYTES;

  constructor(private readonly deps: Pick<WorkerDeps, 'store' | 'listener' | 'runtimes'>, orderingKey: string | null) {
    this.source = orderingKey;
    this.pageKey = compilePageKey(orderingKey);
  }

  /** The orderingKey the pages read so far were keyed with. */
  get keySource(): string | null {
    return this.source;
  }

  /** A job was appended (here, or maybe through another instance): the next fill reads again. */
  readAgain(): void {
    this.caughtUp = false;
    this.appended++;
  }

  /**
   * Once the window holds less than half of `size` pages and of WINDOW_BYTES
   * (lib/flows/job-window.ts), reads jobs after its last one until it holds
   * `size` pages or about WINDOW_BYTES (or none is left): a few large reads
   * rather than one per page, and at least one job, so that a job larger than
   * WINDOW_BYTES is still sent. Stops when `current()` turns false.
   */
  async fill(flow: FlowDoc, window: DeliveryWindow, size: number, current: () => boolean): Promise<void> {
    if (this.caughtUp || window.length >= size / 2 || window.bytes >= WINDOW_BYTES / 2) return;
    while (window.length < size && (window.length === 0 || window.bytes < WINDOW_BYTES)) {
      const from = window.readFrom;
      const asked = Math.max(1, Math.min(size - window.length, Math.floor((WINDOW_BYTES - window.bytes) / this.bytesPerJob)));
      const before = this.appended;
      const jobs = await this.deps.store.readJobs(flow.listenerId, from.seq, asked);
      this.caughtUp = jobs.length < asked && before === this.appended;
      if (jobs.length > 0) this.bytesPerJob = Math.max(1, jobs.reduce((sum, job) => sum + jobBytes(job), 0) / jobs.length);
      if (jobs.length === 0 || !current()) return;
      const listener = await this.deps.listener(flow.listenerId);
      let at = from;
      for (const job of jobs) {
        const skip = await routedElsewhere(flow.imports, job.meta, this.deps.runtimes);
        window.add(slotsOf(job, at, skip, (pageIndex) => this.keyOf(flow, { job, pageIndex }, listener)));
        at = { seq: job.seq, page: 0 };
      }
      if (this.caughtUp) return;
    }
  }

  /** Keys the pages not done with the flow's orderingKey now; call with no page in flight, so no key's order is broken. */
  async rekey(flow: FlowDoc, window: DeliveryWindow, orderingKey: string | null): Promise<void> {
    this.source = orderingKey;
    this.pageKey = compilePageKey(orderingKey);
    const listener = await this.deps.listener(flow.listenerId);
    window.rekey((slot) => this.keyOf(flow, slot, listener));
  }

  private keyOf(flow: FlowDoc, slot: Pick<Slot, 'job' | 'pageIndex'>, listener: RuntimeListener | undefined): string | null {
    if (this.source === null) return null;
    const work = storedPageWork(flow, slot.job, slot.pageIndex, listener);
    return work ? this.pageKey(work) : null;
  }
}
