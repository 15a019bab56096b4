/**
 * Group commit: every write asked for during one turn of the event loop runs in
 * ONE transaction, committed (fsync'd under synchronous=FULL) before any of their
 * promises resolve. That is what lets the ingest path answer 2xx only after its
 * job is durable without paying one fsync per request (SPEC §17).
 *
 * Each write runs inside its own SAVEPOINT, so one that throws (a duplicate key,
 * a full queue) is rolled back alone and the rest of the batch still commits.
 */
import type { Database } from './driver';

interface PendingWrite {
  work: () => unknown;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

export class WriteBatch {
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private readonly beforeCommit: Array<() => void> = [];

  constructor(private readonly db: Database) {}

  /** Runs `work` inside the next batch transaction; resolves after the commit. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Work run once at the end of every batch (e.g. coalesced sample writes). */
  onEachBatch(work: () => void): void {
    this.beforeCommit.push(work);
  }

  /** Commits whatever is pending now. Safe to call at any time. */
  flush(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    const outcomes: Array<{ ok: boolean; value: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        for (const item of batch) {
          this.db.exec('SAVEPOINT write');
          try {
            outcomes.push({ ok: true, value: item.work() });
            this.db.exec('RELEASE write');
          } catch (error) {
            this.db.exec('ROLLBACK TO write');
            this.db.exec('RELEASE write');
            outcomes.push({ ok: false, value: error });
          }
        }
        for (const work of this.beforeCommit) work();
        this.db.exec('COMMIT');
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.value);
    });
  }

  get size(): number {
    return this.pending.length;
  }
}
