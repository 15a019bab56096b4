/**
 * A flow's cursor as its worker moves it, written to the store without holding
 * up the next page (issue 16): a move is handed to the store
 * (`advanceFlowCursor`, compare-and-set on the lease term) the moment a page
 * is done, and the worker goes on with the next page while it commits. Moves
 * made while a commit is under way are folded into the next one, from the
 * position last stored to the newest.
 *
 * What a crash costs (at-least-once): the worker only moves past a page whose
 * imports all finished, and starts the move's commit right away (on the
 * embedded store, at the end of the same event-loop turn, before the next
 * page's answer can be read). After a crash delivery resumes at the stored
 * position, so at most the page in flight and the page finished just before it
 * — whose commit had not run yet — are sent again; none is skipped. (A power
 * loss can also undo the moves of the last fsync: see write-batch.ts.)
 *
 * The store refusing a move (`false`) means the lease term is over: another
 * instance took the flow over from the position stored. A page finished after
 * the takeover is then sent twice, once by each instance (at-least-once).
 */
import type { FlowCursor, Store } from '../store/store';

export interface CommitReport {
  /** Jobs the stored cursor passed with this commit, in order. */
  passed: string[];
  /** False: the store refused the move (the lease term is over). */
  moved: boolean;
}

const same = (a: FlowCursor, b: FlowCursor): boolean => a.seq === b.seq && a.page === b.page;

export class CursorProgress {
  private stored: FlowCursor;
  private wanted: FlowCursor;
  private passed: string[] = [];
  private writing: Promise<void> | undefined;
  private refused = false;
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

  /** The store refused a move (term over) or failed: the worker must start over from the store. */
  get broken(): boolean {
    return this.refused || this.fault !== undefined;
  }

  /** The store's error, when a commit failed. */
  get error(): unknown {
    return this.fault?.error;
  }

  /** Moves the cursor to `to` (after the page before it, or past job `passedJobId`); the commit starts now. */
  move(to: FlowCursor, passedJobId?: string): void {
    this.wanted = to;
    if (passedJobId !== undefined) this.passed.push(passedJobId);
    this.commitNext();
  }

  /** Resolves once every move made so far is committed (or refused). */
  async settle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private commitNext(): void {
    if (this.writing || this.broken || same(this.stored, this.wanted)) return;
    this.writing = this.commit().then(() => {
      this.writing = undefined;
      this.commitNext();
    });
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
