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
   * Once the window holds less than half of `size` pages, reads jobs after its
   * last one until it holds `size` (or none is left): a few large reads rather
   * than one per page. Stops when `current()` turns false.
   */
  async fill(flow: FlowDoc, window: DeliveryWindow, size: number, current: () => boolean): Promise<void> {
    if (this.caughtUp || window.length >= size / 2) return;
    while (window.length < size) {
      const from = window.readFrom;
      const asked = size - window.length;
      const before = this.appended;
      const jobs = await this.deps.store.readJobs(flow.listenerId, from.seq, asked);
      this.caughtUp = jobs.length < asked && before === this.appended;
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
