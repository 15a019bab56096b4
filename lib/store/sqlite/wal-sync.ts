/**
 * fsync of the SQLite write-ahead log on libuv's thread pool, so a durable
 * commit never blocks the event loop (see write-batch.ts). SQLite keeps the
 * -wal file (same inode) while a connection is open, so one descriptor opened
 * on first use serves until close.
 */
import fs from 'node:fs';

export class WalSync {
  private fd: number | undefined;

  constructor(private readonly databaseFile: string) {}

  sync(): Promise<void> {
    if (this.fd === undefined) this.fd = fs.openSync(`${this.databaseFile}-wal`, 'r');
    const fd = this.fd;
    return new Promise((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
