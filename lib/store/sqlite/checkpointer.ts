/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside
 * the COMMIT that takes the write-ahead log past 1,000 pages (~4 MB): it copies
 * the log into the database file and, with synchronous=NORMAL, fsyncs both, all
 * on the thread that committed. A 5 MB request made its batch's COMMIT stall
 * the event loop 20–45 ms for that alone (#11 finding 1), and a steady stream of
 * small writes paid it every few hundred batches.
 *
 * So the store's connection runs with `wal_autocheckpoint = 0`, and this class
 * runs `PRAGMA wal_checkpoint(PASSIVE)` on a second connection in a worker
 * thread (checkpoint-worker.ts). PASSIVE never waits for the writer or readers
 * and never blocks them (https://www.sqlite.org/pragma.html#pragma_wal_checkpoint);
 * SQLite restarts the log from its start once a checkpoint has caught up.
 * Durability does not change: a commit is durable once the WAL is fsync'd
 * (wal-sync.ts); a checkpoint only moves committed pages into the main file.
 *
 * The worker starts once the log first passes START_BYTES (small stores and most
 * tests never start one), then a checkpoint runs at most every INTERVAL_MS while
 * commits come in. If the worker cannot run, the connection goes back to
 * SQLite's automatic checkpoints, so the log never grows without bound.
 *
 * The log restarts from its start only when a checkpoint has copied every frame
 * and then a write begins. Under a steady stream of commits a PASSIVE checkpoint
 * never catches up (frames arrive while it copies), and the log grew without
 * bound: 640 MiB in 15 s of continuous small writes. So once the last checkpoint
 * reported more than `holdBytes` of log (64 MiB) and had copied all but a few MiB
 * of it, `hold()` gives the write batch a promise
 * and the batch waits (the event loop does not: writes queue up and commit
 * together afterwards) until a checkpoint begun after the hold has copied every
 * frame; the next BEGIN restarts the log. The hold lasts one short checkpoint
 * (the worker had copied all but CATCH_UP_BYTES already); after MAX_HOLD_TRIES
 * checkpoints that could not finish (a reader pinned the log) writes go on.
 * `journal_size_limit` truncates a log file that had grown past `holdBytes` when
 * it restarts, so a burst does not keep its disk space.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Database } from './driver';

/** The log size at which SQLite's own automatic checkpoint would start (1,000 pages of 4 KiB). */
const START_BYTES = 4 * 1024 * 1024;
/** Least time between two checkpoint requests, ms. */
const INTERVAL_MS = 100;
/** SQLite's default `wal_autocheckpoint`, restored when the worker fails. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/** Log size past which writes wait for a checkpoint to catch up (see above). */
const HOLD_BYTES = 64 * 1024 * 1024;
/**
 * A hold begins only when the last checkpoint left at most this much of the log
 * uncopied, so the wait is one short checkpoint; a log four times `holdBytes`
 * is held regardless.
 */
const CATCH_UP_BYTES = 4 * 1024 * 1024;
/** Checkpoints a hold waits for at most before writes go on regardless. */
const MAX_HOLD_TRIES = 5;

/** SQLite's answer to `PRAGMA wal_checkpoint`: frames in the log and frames copied into the database. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface CheckpointerOptions {
  /** Called when the worker fails and checkpoints go back into COMMIT. */
  onError?: (error: unknown) => void;
  /** Log size at which writes wait for a checkpoint to catch up (default 64 MiB). */
  holdBytes?: number;
}

export class Checkpointer {
  private worker: Worker | undefined;
  private running = false;
  private again = false;
  private lastRequest = 0;
  private failed = false;
  private closed = false;
  /** Checkpoints requested so far; a hold counts only those requested after it began. */
  private requests = 0;
  /** Frames in the log at the last checkpoint, and how many of them it had copied. */
  private logFrames = 0;
  private copiedFrames = 0;
  private held: { promise: Promise<void>; release: () => void; after: number; tries: number } | undefined;
  private readonly pageBytes: number;
  private readonly holdBytes: number;
  private readonly onError: (error: unknown) => void;

  constructor(private readonly db: Database, private readonly file: string, options: CheckpointerOptions = {}) {
    this.onError = options.onError ?? (() => undefined);
    this.holdBytes = options.holdBytes ?? HOLD_BYTES;
    db.pragma('wal_autocheckpoint = 0');
    db.pragma(`journal_size_limit = ${this.holdBytes}`);
    this.pageBytes = (db.pragma('page_size') as Array<{ page_size: number }>)[0]?.page_size ?? 4096;
  }

  /**
   * Before a write batch: a promise to wait for when the log has outgrown
   * `holdBytes` (resolved once a checkpoint caught up, so the next write restarts
   * the log), else undefined.
   */
  hold(): Promise<void> | undefined {
    if (this.held) return this.held.promise;
    if (this.failed || this.closed || !this.worker) return undefined;
    const logBytes = this.logFrames * this.pageBytes;
    const uncopiedBytes = (this.logFrames - this.copiedFrames) * this.pageBytes;
    if (logBytes <= this.holdBytes || (uncopiedBytes > CATCH_UP_BYTES && logBytes <= 4 * this.holdBytes)) return undefined;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release, after: this.requests, tries: 0 };
    if (!this.running) this.request();
    return promise;
  }

  /** After a commit: asks the worker for a checkpoint, at most every INTERVAL_MS. */
  afterCommit(): void {
    if (this.failed || this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastRequest < INTERVAL_MS) {
      // Commits that come in between are covered by the next request.
      this.again = true;
      return;
    }
    if (!this.worker && walBytes(this.file) < START_BYTES) return;
    this.lastRequest = now;
    this.request();
  }

  /** Stops the worker (its connection closes); the store checkpoints itself on close. */
  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.releaseHold();
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held until it has exited: with nothing else left, the process would end before the store's final checkpoint.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }

  private request(): void {
    const worker = (this.worker ??= this.start());
    if (!worker) return;
    this.running = true;
    this.again = false;
    this.requests += 1;
    worker.postMessage('checkpoint');
  }

  private start(): Worker | undefined {
    try {
      const worker = new Worker(path.join(__dirname, 'checkpoint-worker.js'), { workerData: { file: this.file } });
      worker.unref();
      worker.on('message', (result: CheckpointResult[]) => this.done(result[0]));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(new Error(`the WAL checkpoint worker exited with code ${code}`));
      });
      return worker;
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  private done(result: CheckpointResult | undefined): void {
    this.running = false;
    if (result) {
      this.logFrames = result.log;
      this.copiedFrames = result.checkpointed;
    }
    const held = this.held;
    if (held && !this.closed) {
      // Only a checkpoint requested after the hold began saw every commit before it.
      const counts = this.requests > held.after;
      const caughtUp = counts && result !== undefined && result.busy === 0 && result.checkpointed === result.log;
      if (counts) held.tries += 1;
      if (caughtUp || held.tries >= MAX_HOLD_TRIES) {
        // The next BEGIN restarts the log (caught up), or writes go on regardless.
        if (caughtUp) this.logFrames = this.copiedFrames = 0;
        this.releaseHold();
      } else {
        this.request();
        return;
      }
    }
    if (!this.again || this.closed) return;
    // More commits came in while it ran: one more, no sooner than the interval allows.
    const wait = Math.max(0, INTERVAL_MS - (Date.now() - this.lastRequest));
    setTimeout(() => {
      if (this.running || this.closed || this.failed) return;
      this.lastRequest = Date.now();
      this.request();
    }, wait).unref();
  }

  private releaseHold(): void {
    const held = this.held;
    this.held = undefined;
    held?.release();
  }

  private fail(error: unknown): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.running = false;
    this.worker = undefined;
    this.releaseHold();
    this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    this.onError(error);
  }
}

function walBytes(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
