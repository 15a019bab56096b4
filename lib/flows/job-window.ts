/**
 * The jobs just ahead of a flow's cursor, read from the store in batches so
 * that a page does not cost a query (issue 16). Once half of a full batch is
 * used, the next one is read while the current pages are delivered.
 *
 * A batch is what `Store.readJobs` returned after one seq: jobs in seq order,
 * with no gap below the last. The window answers for a cursor only when the
 * cursor stands where the batch started or on one of its jobs; anything else
 * (another instance moved the flow on, the worker started over) reads anew.
 * Batches are sized to keep about WINDOW_BYTES of pages in memory.
 */
import type { JobDoc, Store } from '../store/store';

/** Pages (stored text) kept per batch, about; the window holds at most two batches. The keyed window reads up to this much too. */
export const WINDOW_BYTES = 2 * 1024 * 1024;
const FIRST_BATCH = 16;
const MAX_BATCH = 256;

interface Batch {
  after: number;
  jobs: JobDoc[];
  /** As many jobs as asked for: there may be more right after. */
  full: boolean;
}

export class JobWindow {
  private current: Batch = { after: -1, jobs: [], full: false };
  /** Index in `current.jobs` of the job after the cursor. */
  private index = 0;
  private ahead: { after: number; read: Promise<Batch | undefined> } | undefined;
  private batchSize = FIRST_BATCH;

  constructor(private readonly store: Store, private readonly listenerId: string) {}

  /** The job after `seq` (a flow's cursor), or undefined when there is none yet. */
  async jobAfter(seq: number): Promise<JobDoc | undefined> {
    if (!this.standsAt(seq)) this.forget();
    if (this.index < this.current.jobs.length) {
      this.readAhead();
      return this.current.jobs[this.index];
    }
    const ahead = this.ahead?.after === seq ? await this.ahead.read : undefined;
    this.ahead = undefined;
    this.current = ahead && ahead.jobs.length > 0 ? ahead : await this.read(seq);
    this.index = 0;
    return this.current.jobs[0];
  }

  /** Drops what was read: the next call reads from the store. */
  forget(): void {
    this.current = { after: -1, jobs: [], full: false };
    this.index = 0;
    this.ahead = undefined;
  }

  /** Whether the cursor at `seq` is where this window expects it; moves past a job the cursor passed. */
  private standsAt(seq: number): boolean {
    const { after, jobs } = this.current;
    const previous = this.index === 0 ? after : jobs[this.index - 1]!.seq;
    if (seq === previous) return true;
    if (this.index < jobs.length && jobs[this.index]!.seq === seq) {
      this.index++;
      return true;
    }
    return false;
  }

  /** Once half of a full batch is used, reads the next one. */
  private readAhead(): void {
    const { jobs, full } = this.current;
    if (this.ahead || !full || jobs.length - this.index > jobs.length / 2) return;
    const after = jobs[jobs.length - 1]!.seq;
    // A failed read ahead is read again, in the open, when its turn comes.
    this.ahead = { after, read: this.read(after).catch(() => undefined) };
  }

  private async read(after: number): Promise<Batch> {
    const size = this.batchSize;
    const jobs = await this.store.readJobs(this.listenerId, after, size);
    if (jobs.length > 0) {
      const bytes = jobs.reduce((sum, job) => sum + jobBytes(job), 0);
      this.batchSize = Math.max(1, Math.min(MAX_BATCH, Math.floor(WINDOW_BYTES / Math.max(1, bytes / jobs.length))));
    }
    return { after, jobs, full: jobs.length >= size };
  }
}

/** The stored text of a job's pages: what holding the job in memory costs, about. */
export function jobBytes(job: JobDoc): number {
  let bytes = 0;
  for (const page of job.pages) bytes += page.recordsJson.length;
  return bytes;
}
