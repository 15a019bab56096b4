import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Checkpointer } from '../../lib/store/sqlite/checkpointer';
import { WalSync } from '../../lib/store/sqlite/wal-sync';
import { WriteBatch } from '../../lib/store/sqlite/write-batch';
import { openDatabase } from '../../lib/store/sqlite/driver';
import { tempDir } from '../helpers/harness';

function open(file: string) {
  const db = openDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS blobs (id INTEGER PRIMARY KEY, body TEXT)');
  return db;
}

describe('WAL checkpoints on a worker thread', () => {
  it('takes the checkpoint out of COMMIT and runs it on its own connection once the log passes 4 MB', async () => {
    const file = path.join(tempDir(), 'hookport.db');
    const db = open(file);
    const checkpointer = new Checkpointer(db, file);
    try {
      assert.equal((db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint, 0);
      const before = fs.statSync(file).size;
      db.exec('BEGIN IMMEDIATE');
      for (let id = 0; id < 6; id++) db.prepare('INSERT INTO blobs VALUES (?, ?)').run(id, 'x'.repeat(1024 * 1024));
      db.exec('COMMIT');
      assert.ok(fs.statSync(`${file}-wal`).size > 6 * 1024 * 1024, 'the commit wrote the log');
      assert.equal(fs.statSync(file).size, before, 'the commit did not checkpoint (SQLite would have, past 1,000 pages)');
      checkpointer.afterCommit();
      // Bounded wait for the worker (its first start loads a module).
      for (let waited = 0; fs.statSync(file).size < 6 * 1024 * 1024 && waited < 15_000; waited += 50) await sleep(50);
      assert.ok(fs.statSync(file).size >= 6 * 1024 * 1024, `the worker copied the log into the database file (${fs.statSync(file).size} bytes)`);
      assert.equal((db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n, 6);
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  it('starts no worker while the log is small', async () => {
    const file = path.join(tempDir(), 'hookport.db');
    const db = open(file);
    const checkpointer = new Checkpointer(db, file);
    db.prepare('INSERT INTO blobs VALUES (?, ?)').run(1, 'small');
    checkpointer.afterCommit();
    assert.equal((checkpointer as unknown as { worker: unknown }).worker, undefined);
    await checkpointer.close();
    db.close();
  });

  it('lets the store close (and checkpoint the log into the file) when nothing else keeps the process alive', () => {
    const file = path.join(tempDir(), 'hookport.db');
    // A process whose only work is the store: it must not end while the worker is being stopped.
    const script = `
      const { SqliteStore } = require(${JSON.stringify(path.join(__dirname, '../../lib/store/sqlite/sqlite-store'))});
      const store = new SqliteStore({ file: ${JSON.stringify(file)} });
      (async () => {
        for (let n = 0; n < 3; n++) await store.saveSample('l' + n, { body: 'x'.repeat(2 * 1024 * 1024), headers: {}, receivedAt: '', contentType: null });
        await new Promise((resolve) => setTimeout(resolve, 300));
        await store.saveSample('last', { body: 'y', headers: {}, receivedAt: '', contentType: null });
        await store.close();
        console.log('closed');
      })();`;
    const output = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(output.trim(), 'closed');
    assert.ok(!fs.existsSync(`${file}-wal`) || fs.statSync(`${file}-wal`).size === 0, 'the log was checkpointed and truncated');
  });

  it('keeps the log bounded under a continuous stream of commits: writes wait for a checkpoint to catch up past holdBytes', async () => {
    // Without the hold, a PASSIVE checkpoint never catches up while commits keep coming and the log
    // grows with everything written (measured: 836 MiB after 15 s of small writes).
    const file = path.join(tempDir(), 'hookport.db');
    const db = open(file);
    const holdBytes = 2 * 1024 * 1024;
    const checkpointer = new Checkpointer(db, file, { holdBytes });
    const walSync = new WalSync(file);
    const batch = new WriteBatch(db, { sync: () => walSync.sync(), hold: () => checkpointer.hold() });
    batch.afterEachBatch(() => checkpointer.afterCommit());
    const insert = db.prepare('INSERT INTO blobs (body) VALUES (?)');
    const body = 'x'.repeat(8 * 1024);
    const total = 64 * 1024 * 1024;
    let written = 0;
    let largest = 0;
    const watch = setInterval(() => (largest = Math.max(largest, fs.statSync(`${file}-wal`).size)), 5);
    try {
      const writer = async () => {
        while (written < total) {
          written += body.length;
          await batch.run(() => insert.run(body));
        }
      };
      await Promise.all(Array.from({ length: 20 }, writer));
      largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
      assert.equal((db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n, Math.ceil(total / body.length), 'every write committed');
      assert.ok(largest < 24 * 1024 * 1024, `the log stayed bounded while 64 MiB were written (largest ${(largest / 1048576).toFixed(1)} MiB)`);
    } finally {
      clearInterval(watch);
      await batch.drain();
      await checkpointer.close();
      walSync.close();
      db.close();
    }
  });
});
