import assert from 'node:assert/strict';
import { openDatabase } from '../../lib/store/sqlite/driver';
import { WriteBatch } from '../../lib/store/sqlite/write-batch';

/** A sync (fsync stand-in) that finishes only when the test says so. */
function heldSync(): { sync: () => Promise<void>; calls: number; release: () => void } {
  const held = { calls: 0, release: () => undefined as void, sync: () => Promise.resolve() };
  const releases: Array<() => void> = [];
  held.sync = () => {
    held.calls += 1;
    return new Promise<void>((resolve) => releases.push(resolve));
  };
  held.release = () => releases.splice(0).forEach((resolve) => resolve());
  return held;
}

describe('write batch durability', () => {
  it('resolves a durable write only after the sync, and a `durable: false` write at COMMIT, in the same batch', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
    const held = heldSync();
    const batch = new WriteBatch(db, { sync: held.sync });
    const settled: string[] = [];
    const durable = batch.run(() => db.prepare('INSERT INTO t VALUES (?, ?)').run('job', 1).changes).then(() => settled.push('durable'));
    const cursor = batch.run(() => db.prepare('INSERT INTO t VALUES (?, ?)').run('cursor', 2).changes > 0, { durable: false });
    assert.equal(await cursor, true, 'the cursor write resolves with its value before any sync finished');
    assert.deepEqual(settled, [], 'the durable write still waits for its sync');
    assert.equal(held.calls, 1, 'the batch started an fsync, so the non-durable write reaches the disk one fsync later');
    assert.equal((db.prepare('SELECT v FROM t WHERE k = ?').get('cursor') as { v: number }).v, 2, 'it is committed');
    held.release();
    await durable;
    assert.deepEqual(settled, ['durable']);
    db.close();
  });

  it('still starts an fsync for a batch of only `durable: false` writes', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    const held = heldSync();
    const batch = new WriteBatch(db, { sync: held.sync });
    await batch.run(() => db.prepare('INSERT INTO t VALUES (?)').run('a'), { durable: false });
    assert.equal(held.calls, 1);
    held.release();
    await batch.drain();
    db.close();
  });

  it('waits while `hold` says so, then commits everything queued meanwhile in one transaction', async () => {
    const db = openDatabase(':memory:');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY)');
    let release!: () => void;
    let holding: Promise<void> | undefined = new Promise<void>((resolve) => (release = resolve));
    let batches = 0;
    const batch = new WriteBatch(db, { hold: () => holding });
    batch.afterEachBatch(() => (batches += 1));
    const first = batch.run(() => db.prepare('INSERT INTO t VALUES (?)').run('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const second = batch.run(() => db.prepare('INSERT INTO t VALUES (?)').run('b'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 0, 'nothing committed while held');
    assert.equal(batches, 0);
    holding = undefined;
    release();
    await Promise.all([first, second]);
    assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2);
    assert.equal(batches, 1, 'the writes queued during the hold went in one batch');
    db.close();
  });
});
