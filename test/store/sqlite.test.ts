import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { SqliteStore } from '../../lib/store/sqlite/sqlite-store';
import type { Store } from '../../lib/store/store';
import { tempDir } from '../helpers/harness';
import { flowDoc, jobFor, listenerDoc, runStoreContract } from './contract';
import { runWritersContract } from './contract-writers';

const files = new WeakMap<Store, string>();

runStoreContract('sqlite', {
  async create() {
    const file = path.join(tempDir(), 'hookport.db');
    const store = new SqliteStore({ file, unattachedLimit: 10 });
    files.set(store, file);
    return store;
  },
  async reopen(store) {
    const file = files.get(store)!;
    await store.close();
    const reopened = new SqliteStore({ file, unattachedLimit: 10 });
    files.set(reopened, file);
    return reopened;
  },
});

// Two connections to one file: the embedded store serves one process, but its port promises hold for two writers all the same.
runWritersContract('sqlite', {
  async createPair() {
    const file = path.join(tempDir(), 'hookport.db');
    return [new SqliteStore({ file }), new SqliteStore({ file })];
  },
});

describe('sqlite store specifics', () => {
  it('uses WAL and commits a batch before its promises resolve', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hookport.db');
    const store = new SqliteStore({ file });
    const listener = listenerDoc();
    await store.listeners.insert(listener);
    await store.appendJob(jobFor(listener.id));
    assert.ok(fs.existsSync(`${file}-wal`), 'a WAL file exists');
    // a second connection sees the committed job at once
    const reader = new SqliteStore({ file });
    assert.equal(await reader.lastSeq(listener.id), 1);
    await reader.close();
    await store.close();
    fs.rmSync(dir, { recursive: true });
  });

  it('rejects every write of a batch whose commit fails, and accepts writes again after', async () => {
    const dir = tempDir();
    const store = new SqliteStore({ file: path.join(dir, 'hookport.db') });
    const listener = listenerDoc();
    await store.listeners.insert(listener);
    const db = (store as any).db;
    const realExec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      return realExec(sql);
    };
    const results = await Promise.allSettled([store.appendJob(jobFor(listener.id)), store.appendJob(jobFor(listener.id))]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
    db.exec = realExec;
    assert.equal(await store.lastSeq(listener.id), 0, 'nothing of the failed batch was kept');
    assert.equal((await store.appendJob(jobFor(listener.id))).status, 'accepted');
    assert.equal((await store.readJobs(listener.id, 0, 10)).length, 1, 'no row of the failed batch slipped into the next one');
    await store.close();
    fs.rmSync(dir, { recursive: true });
  });

  it('gives a flow created in the same batch as appends the right start, and checks it for those that follow', async () => {
    const dir = tempDir();
    const store = new SqliteStore({ file: path.join(dir, 'hookport.db') });
    const listener = listenerDoc();
    await store.listeners.insert(listener);
    await store.flows.insert(flowDoc(listener.id));
    const late = flowDoc(listener.id, { maxQueuedJobs: 1 });
    // one batch: two appends, a second flow, two more appends
    const results = await Promise.allSettled([
      store.appendJob(jobFor(listener.id)),
      store.appendJob(jobFor(listener.id)),
      store.flows.insert(late),
      store.appendJob(jobFor(listener.id)),
      store.appendJob(jobFor(listener.id)),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    assert.deepEqual(await store.getFlowCursor(late.id), { seq: 2, page: 0 }, 'the new flow starts after the jobs appended before it');
    assert.equal(await store.queueDepth(late.id), 1, 'its limit of 1 refused the append after the first');
    assert.equal(await store.lastSeq(listener.id), 3);
    await store.close();
    fs.rmSync(dir, { recursive: true });
  });
});
