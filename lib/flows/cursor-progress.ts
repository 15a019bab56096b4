/**
 * A flow's cursor as its worker moves it, written to the store in batches and
 * without holding up the next page (issue 16). A move is kept in memory and the
 * worker goes on with the next page; the newest position is committed
 * (`advanceFlowCursor`, compare-and-set on the lease term: one transaction for
 * many pages) once COMMIT_EVERY_PAGES pages are waiting, COMMIT_EVERY_MS after
 * the first of them, or at once when the worker has nothing more to do (its
 * queue is empty, the flow is disabled, it checks the flow's state, it stops).
 * Moves made while a commit is under way go into the next one.
 *
 * What a crash costs (at-least-once): the worker only moves past a page whose
 * imports all finished, so after a crash delivery resumes at the stored
 * position: the page in flight is sent again, and with it the pages finished
 * since the last commit that completed — those of the last COMMIT_EVERY_MS
 * plus the time that commit takes, and never more than COMMIT_EVERY_PAGES:
 * a worker that has that many moves uncommitted waits (`room()`) for the
 * commit under way before it sends another page. None is skipped, and each
 * re-sent page carries its first idempotency key.
 * (A power loss can also undo the commits of the last fsync: see write-batch.ts.)
 *
 * The store refusing a move (`false`) means the lease term is over: another
 * instance took the flow over from the position stored. The pages this worker
 * finished after that position are then sent again by the new holder.
 */
import type { FlowCursor, FlowDoc, Store } from '../store/store';
import type { JobProgress } from './after-flow';
import type { DeliveryEvents } from './delivery-events';

export interface CommitReport {
  /** Jobs the stored cursor passed with this commit, in order. */
  passed: string[];
  /** False: the store refused the move (the lease term is over). */
  moved: boolean;
}

/** What a commit tells the rest of hookport: afterFlow progress for the jobs it passed, the queue depth, and `settled`. */
export function announceCommit(deps: { store: Store; events: DeliveryEvents; progress: JobProgress }, flow: FlowDoc, report: CommitReport): void {
  const { events, store } = deps;
  for (const jobId of report.passed) deps.progress.jobPassed(flow.id, jobId);
  if (report.moved && report.passed.length > 0 && events.wantsDepth) {
    store.queueDepth(flow.id).then((depth) => events.queueDepth(flow.id, flow.listenerId, depth), () => undefined);
  }
  events.settled(flow.id);
}

/** Commit once this many pages wait… */
export const COMMIT_EVERY_PAGES = 100;
/** …or this long (wall time) after the first of them was finished. */
export const COMMIT_EVERY_MS = 10;

const same = (a: FlowCursor, b: FlowCursor): boolean => a.seq === b.seq && a.page === b.page;

export class CursorProgress {
  private stored: FlowCursor;
  private wanted: FlowCursor;
  private passed: string[] = [];
  private writing: Promise<void> | undefined;
  /** Moves made since the last commit started. */
  private waiting = 0;
  /** Moves in the commit under way. */
  private committing = 0;
  private timer: NodeJS.Timeout | undefined;
  private refused = false;
  /** flush() was called while a commit was under way: commit again right after it. */
  private flushAfter = false;
  private fault: { error: unknown } | undefined;

  constructor(
    private readonly store: Store,
    private readonly flowId: string,
    /** The lease term the moves are made under. */
    readonly term: number,
    cursor: FlowCursor,
    /** After each commit (moved or refused), with the jobs it passed. */
    private readonly committed: (report: CommitReport) => void,
  ) {
    this.stored = cursor;
    this.wanted = cursor;
  }

  /** Where the worker stands: the stored cursor plus the moves not committed yet. */
  get position(): FlowCursor {
    return this.wanted;
  }

  /** The position last committed to the store. */
  get storedPosition(): FlowCursor {
    return this.stored;
  }

  /** The store refused a move (term over) or failed: the worker must start over from the store. */
  get broken(): boolean {
    return this.refused || this.fault !== undefined;
  }

  /** The store's error, when a commit failed. */
  get error(): unknown {
    return this.fault?.error;
  }

  /** Moves the cursor to `to` (the next page, or past job `passedJobId`); committed with the next batch. */
  move(to: FlowCursor, passedJobId?: string): void {
    this.wanted = to;
    if (passedJobId !== undefined) this.passed.push(passedJobId);
    this.waiting++;
    if (this.waiting >= COMMIT_EVERY_PAGES) this.flush();
    else this.arm();
  }

  /** Moves made and not committed yet (in the commit under way or waiting for the next). */
  get uncommitted(): number {
    return this.committing + this.waiting;
  }

  /**
   * Resolves when another page may be sent without more than COMMIT_EVERY_PAGES
   * finished pages being uncommitted: at once, or after the commit under way.
   */
  async room(): Promise<void> {
    while (this.writing && this.uncommitted >= COMMIT_EVERY_PAGES) await this.writing;
  }

  /** Commits the moves made so far now (the worker has nothing more to do for the moment). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing) {
      this.flushAfter = true;
      return;
    }
    if (this.broken || same(this.stored, this.wanted)) return;
    this.committing = this.waiting;
    this.waiting = 0;
    this.writing = this.commit().then(() => {
      this.writing = undefined;
      this.committing = 0;
      const again = this.flushAfter || this.waiting >= COMMIT_EVERY_PAGES;
      this.flushAfter = false;
      if (again) this.flush();
      else if (this.waiting > 0) this.arm();
    });
  }

  /** Resolves once every move made so far is committed (or refused). */
  async settle(): Promise<void> {
    this.flush();
    while (this.writing) await this.writing;
  }

  private arm(): void {
    if (this.timer) return;
    // Wall time on purpose: the bound on what a crash re-sends holds however time is injected.
    this.timer = setTimeout(() => this.flush(), COMMIT_EVERY_MS);
    this.timer.unref();
  }

  private async commit(): Promise<void> {
    const from = this.stored;
    const to = this.wanted;
    const passed = this.passed;
    this.passed = [];
    let moved: boolean;
    try {
      moved = await this.store.advanceFlowCursor(this.flowId, this.term, from, to);
    } catch (error) {
      this.fault = { error };
      return;
    }
    if (moved) this.stored = to;
    else this.refused = true;
    this.committed({ passed: moved ? passed : [], moved });
  }
}
