/**
 * The worker thread of checkpointer.ts: its own connection to the store's file,
 * one `PRAGMA wal_checkpoint(PASSIVE)` per 'checkpoint' message, answered with
 * SQLite's result row; 'close' closes the connection and ends the thread.
 * Nothing else: it never writes rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './driver';

const port = parentPort!;
const db = openDatabase((workerData as { file: string }).file);
db.pragma('busy_timeout = 5000');

port.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  port.postMessage(db.pragma('wal_checkpoint(PASSIVE)'));
});
