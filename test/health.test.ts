import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { createHarness } from './helpers/harness';
import { startChildServer } from './helpers/child-server';
import { tempDir } from './helpers/harness';
import { SqliteStore } from '../lib/store/sqlite/sqlite-store';

describe('health and shutdown (SPEC §16)', () => {
  it('answers /healthz while alive and /readyz only while the store answers', async () => {
    const h = await createHarness();
    try {
      assert.deepEqual((await h.request().get('/healthz')).body, { status: 'ok' });
      const ready = await h.request().get('/readyz');
      assert.equal(ready.status, 200);
      assert.equal(ready.body.store, 'sqlite');
      const store = h.services.store as any;
      const ping = store.ping;
      store.ping = () => Promise.reject(new Error('database is locked'));
      const notReady = await h.request().get('/readyz');
      assert.equal(notReady.status, 503);
      assert.equal(notReady.body.title, 'Temporarily unavailable');
      store.ping = ping;
    } finally {
      await h.close();
    }
  });

  it('on SIGTERM finishes a request already in flight, stores it, then exits 0', async function () {
    this.timeout(30_000);
    const dataDir = tempDir();
    const key = 'health-test-admin-key-0123456789';
    const server = await startChildServer({ DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: key });
    const created = await fetch(`${server.baseUrl}/api/v1/listeners`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'shutdown' }),
    });
    const listenerId = ((await created.json()) as any).id;
    const body = JSON.stringify({ order: 'in flight' });
    const answered = new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, path: `/hooks/${listenerId}`, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 5));
      // the rest arrives after SIGTERM
      setTimeout(() => {
        server.process.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(5)), 300);
      }, 200);
    });
    assert.equal(await answered, 204, 'the request in flight was answered');
    const exit = await server.exited;
    assert.equal(exit.code, 0);
    const store = new SqliteStore({ file: `${dataDir}/hookport.db` });
    const jobs = await store.readJobs(listenerId, 0, 10);
    assert.deepEqual(JSON.parse(jobs[0]!.pages[0]!.recordsJson), [{ order: 'in flight' }]);
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
