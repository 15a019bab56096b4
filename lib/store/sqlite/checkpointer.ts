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

export class Checkpointer {
  private worker: Worker | undefined;
  private running = false;
  private again = false;
  private lastRequest = 0;
  private failed = false;
  private closed = false;

  constructor(private readonly db: Database, private readonly file: string, private readonly onError: (error: unknown) => void = () => undefined) {
    db.pragma('wal_autocheckpoint = 0');
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
    worker.postMessage('checkpoint');
  }

  private start(): Worker | undefined {
    try {
      const worker = new Worker(path.join(__dirname, 'checkpoint-worker.js'), { workerData: { file: this.file } });
      worker.unref();
      worker.on('message', () => this.done());
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

  private done(): void {
    this.running = false;
    if (!this.again || this.closed) return;
    // More commits came in while it ran: one more, no sooner than the interval allows.
    const wait = Math.max(0, INTERVAL_MS - (Date.now() - this.lastRequest));
    setTimeout(() => {
      if (this.running || this.closed || this.failed) return;
      this.lastRequest = Date.now();
      this.request();
    }, wait).unref();
  }

  private fail(error: unknown): void {
    if (this.failed || this.closed) return;
    this.failed = true;
    this.running = false;
    this.worker = undefined;
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
