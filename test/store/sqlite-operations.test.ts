import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../lib/config';
import { openDatabase } from '../../lib/store/sqlite/driver';
import { SqliteStore } from '../../lib/store/sqlite/sqlite-store';
import { tempDir } from '../helpers/harness';
import { jobFor, listenerDoc } from './contract';

describe('sqlite store operations (close, backup, downgrade)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('checkpoints the write-ahead log on close, so hookport.db alone holds the data', async () => {
    const file = path.join(dir, 'hookport.db');
    const store = new SqliteStore({ file });
    const listener = listenerDoc();
    await store.listeners.insert(listener);
    await store.appendJob(jobFor(listener.id));
    await store.close();
    const wal = `${file}-wal`;
    assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, 'nothing is left in the WAL');

    const copy = path.join(dir, 'copy', 'hookport.db');
    fs.mkdirSync(path.dirname(copy));
    fs.copyFileSync(file, copy);
    const reopened = new SqliteStore({ file: copy });
    assert.equal((await reopened.listeners.get(listener.id))?.id, listener.id);
    assert.equal(await reopened.lastSeq(listener.id), 1);
    await reopened.close();
  });

  it('backs up the committed data into a new file, and never overwrites one', async () => {
    const store = new SqliteStore({ file: path.join(dir, 'hookport.db') });
    const listener = listenerDoc();
    await store.listeners.insert(listener);
    await store.appendJob(jobFor(listener.id, [{ id: 1 }, { id: 2 }]));
    const target = path.join(dir, 'backup.db');
    await store.backup(target);
    await assert.rejects(store.backup(target), /already exists/);
    await store.close();
    const restored = new SqliteStore({ file: target });
    const [job] = await restored.readJobs(listener.id, 0, 10);
    assert.equal(job?.recordCount, 2);
    await restored.close();
  });

  it('refuses a database a newer version migrated (a downgrade), naming the unknown migration', async () => {
    const file = path.join(dir, 'hookport.db');
    await new SqliteStore({ file }).close();
    const db = openDatabase(file);
    db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run('999-from-the-future', new Date().toISOString());
    db.close();
    assert.throws(() => new SqliteStore({ file }), (error: unknown) =>
      error instanceof ConfigError && /999-from-the-future/.test(error.message) && /restore the backup taken before the upgrade/.test(error.message));
  });
});
