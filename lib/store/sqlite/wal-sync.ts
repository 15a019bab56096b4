/**
 * fsync of the SQLite write-ahead log on libuv's thread pool, so a durable
 * commit never blocks the event loop (see write-batch.ts). SQLite keeps the
 * -wal file (same inode) while a connection is open, so one descriptor opened
 * on first use serves until close.
 *
 * Calls are coalesced: while an fsync runs, every commit that asks for one
 * shares the single fsync started after it ends (an fsync covers everything
 * written before it starts), so a busy server issues one fsync at a time.
 */
import fs from 'node:fs';

export class WalSync {
  private fd: number | undefined;
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly databaseFile: string) {}

  /** Resolves once an fsync that started after this call has finished. */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.fsync().finally(() => (this.running = undefined));
      return this.running;
    }
    if (!this.queued) {
      const after = this.running.catch(() => undefined);
      this.queued = after.then(() => {
        this.queued = undefined;
        return this.sync();
      });
    }
    return this.queued;
  }

  private fsync(): Promise<void> {
    if (this.fd === undefined) this.fd = fs.openSync(`${this.databaseFile}-wal`, 'r');
    const fd = this.fd;
    return new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
