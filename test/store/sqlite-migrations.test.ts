import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../lib/store/sqlite/driver';
import { SqliteStore } from '../../lib/store/sqlite/sqlite-store';
import { tempDir } from '../helpers/harness';
import { listenerDoc } from './contract';

describe('sqlite migration 080 (request history clustered by listener)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the history a database written before it holds, newest first, and trims it as before', async () => {
    const file = path.join(dir, 'hookport.db');
    const listener = listenerDoc();
    const first = new SqliteStore({ file });
    await first.listeners.insert(listener);
    await first.close();
    // The table as migration 070 left it, with two rows in it.
    const db = openDatabase(file);
    db.exec(`DROP TABLE request_history;
      CREATE TABLE request_history (id TEXT PRIMARY KEY, listener_id TEXT NOT NULL, received_at TEXT NOT NULL, outcome TEXT NOT NULL, doc TEXT NOT NULL);
      CREATE INDEX request_history_listener ON request_history (listener_id, id);
      DELETE FROM schema_migrations WHERE name = '080-clustered-request-history';`);
    const record = (id: string) => ({
      id, listenerId: listener.id, requestId: id, receivedAt: '2026-12-01T00:00:00.000Z', method: 'POST', status: 204, outcome: 'accepted', reason: null, jobId: null, durationMs: 1,
    });
    for (const id of ['0001', '0002']) {
      db.prepare('INSERT INTO request_history (id, listener_id, received_at, outcome, doc) VALUES (?, ?, ?, ?, ?)')
        .run(id, listener.id, '2026-12-01T00:00:00.000Z', 'accepted', JSON.stringify(record(id)));
    }
    db.close();

    const store = new SqliteStore({ file });
    assert.deepEqual((await store.requestHistory.list(listener.id, { limit: 10 })).items.map((item) => item.id), ['0002', '0001']);
    await store.requestHistory.append([record('0003'), record('0004')], 3);
    assert.deepEqual((await store.requestHistory.list(listener.id, { limit: 10 })).items.map((item) => item.id), ['0004', '0003', '0002'], 'the oldest goes past 3');
    await store.close();
  });
});
