/**
 * Group commit: every write asked for during one turn of the event loop runs in
 * ONE transaction, and none of their promises resolves before that transaction
 * is durable. That is what lets the ingest path answer 2xx only after its job is
 * stored without paying one commit per request (SPEC §17).
 *
 * Durability without blocking: the connection runs with synchronous=NORMAL, so
 * COMMIT only writes the WAL; when `sync` is given (the store's durable mode) the
 * batch's promises wait for an fsync of the WAL file that runs on libuv's thread
 * pool. The event loop keeps serving requests — and committing the next batch —
 * while the disk syncs. An fsync covers every frame written before it, so each
 * batch waits for the first fsync started after its own COMMIT.
 *
 * Each write runs inside its own SAVEPOINT, so one that throws (a duplicate key,
 * a full queue) is rolled back alone and the rest of the batch still commits.
 * A write that does all its checks before its first change may opt out of the
 * savepoint (`isolated: false`): the hot path's appendJob does, saving two
 * statements per request.
 *
 * A write whose loss on a power cut is harmless may also opt out of waiting for
 * the fsync (`durable: false`): it resolves once COMMIT returns, and the batch
 * still starts an fsync, so it is on disk one fsync later. The delivery cursor
 * does (see SqliteStore.advanceFlowCursor): a process crash keeps every
 * committed transaction (the WAL is written at COMMIT), and a power cut can
 * only move the cursor back over pages already delivered, which at-least-once
 * delivery sends again.
 */
import type { Database } from './driver';

interface PendingWrite {
  work: () => unknown;
  isolated: boolean;
  durable: boolean;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
}

export interface WriteBatchOptions {
  /** Makes committed data durable (fsync of the WAL); the batch resolves after it. */
  sync?: () => Promise<void>;
  /**
   * Asked before each batch: a promise means "not yet" (the WAL must be
   * checkpointed first, checkpointer.ts); writes keep queueing meanwhile and
   * commit together once it resolves. Never consulted by drain().
   */
  hold?: () => Promise<void> | undefined;
}

export class WriteBatch {
  private pending: PendingWrite[] = [];
  private scheduled = false;
  private readonly beforeCommit: Array<() => void> = [];
  private readonly afterBatch: Array<() => void> = [];
  private readonly syncing = new Set<Promise<void>>();

  constructor(private readonly db: Database, private readonly options: WriteBatchOptions = {}) {}

  /**
   * Runs `work` inside the next batch transaction; resolves once it is durable.
   * With `isolated: false`, `work` must not throw after its first change; with
   * `durable: false` it resolves once committed, before the fsync that follows.
   */
  run<T>(work: () => T, options: { isolated?: boolean; durable?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, isolated: options.isolated ?? true, durable: options.durable ?? true, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Work run once at the end of every batch, inside its transaction (e.g. coalesced sample writes). */
  onEachBatch(work: () => void): void {
    this.beforeCommit.push(work);
  }

  /** Work run after every batch, committed or not (e.g. dropping per-batch caches). */
  afterEachBatch(work: () => void): void {
    this.afterBatch.push(work);
  }

  /** Commits whatever is pending now (or once a hold ends); the promises settle when it is durable. */
  flush(): void {
    const held = this.pending.length > 0 ? this.options.hold?.() : undefined;
    if (held) {
      this.scheduled = true;
      void held.then(() => this.flush());
      return;
    }
    this.commitPending();
  }

  private commitPending(): void {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const outcomes: Array<{ ok: boolean; value: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        for (const item of batch) outcomes.push(item.isolated ? this.isolated(item) : this.direct(item));
        for (const work of this.beforeCommit) work();
        this.db.exec('COMMIT');
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    } finally {
      for (const work of this.afterBatch) work();
    }
    const settle = (durable: boolean) =>
      batch.forEach((item, index) => {
        if (item.durable !== durable) return;
        const outcome = outcomes[index]!;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.value);
      });
    settle(false);
    if (!this.options.sync) {
      settle(true);
      return;
    }
    const waiting = batch.filter((item) => item.durable);
    const synced = this.options.sync();
    this.syncing.add(synced);
    synced.then(() => settle(true), (error) => waiting.forEach((item) => item.reject(error))).finally(() => this.syncing.delete(synced));
  }

  /** Commits what is pending and waits for every sync in flight (before closing). */
  async drain(): Promise<void> {
    this.commitPending();
    await Promise.allSettled([...this.syncing]);
  }

  private direct(item: PendingWrite): { ok: boolean; value: unknown } {
    try {
      return { ok: true, value: item.work() };
    } catch (error) {
      return { ok: false, value: error };
    }
  }

  private isolated(item: PendingWrite): { ok: boolean; value: unknown } {
    this.db.exec('SAVEPOINT write');
    try {
      const value = item.work();
      this.db.exec('RELEASE write');
      return { ok: true, value };
    } catch (error) {
      this.db.exec('ROLLBACK TO write');
      this.db.exec('RELEASE write');
      return { ok: false, value: error };
    }
  }

  get size(): number {
    return this.pending.length;
  }
}
