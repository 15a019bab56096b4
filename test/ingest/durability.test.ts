import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startChildServer } from '../helpers/child-server';
import { tempDir } from '../helpers/harness';
import { SqliteStore } from '../../lib/store/sqlite/sqlite-store';

const ADMIN_KEY = 'durability-test-admin-key-0123456789';

describe('ingestion: a 2xx means durably stored', function () {
  this.timeout(60_000);

  it('keeps every job answered 2xx when the server is SIGKILLed right after the responses', async () => {
    const dataDir = tempDir();
    const server = await startChildServer({ DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY });
    let listenerId = '';
    const accepted: number[] = [];
    try {
      const created = await fetch(`${server.baseUrl}/api/v1/listeners`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'durable', limits: { capacity: 10_000, leakPerSecond: 10_000 } }),
      });
      listenerId = ((await created.json()) as any).id;
      const sends = Array.from({ length: 60 }, (_, n) =>
        fetch(`${server.baseUrl}/hooks/${listenerId}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ n }) }).then(
          (response) => {
            if (response.status === 204) accepted.push(n);
            return response.status;
          },
        ),
      );
      const statuses = await Promise.all(sends);
      // No graceful anything: the process dies the instant the last 2xx has arrived.
      server.process.kill('SIGKILL');
      assert.deepEqual(new Set(statuses), new Set([204]));
    } finally {
      server.process.kill('SIGKILL');
      await server.exited;
    }
    const store = new SqliteStore({ file: path.join(dataDir, 'hookport.db') });
    try {
      const jobs = await store.readJobs(listenerId, 0, 1000);
      const stored = new Set(jobs.map((job) => JSON.parse(job.pages[0]!.recordsJson)[0].n));
      for (const n of accepted) assert.ok(stored.has(n), `request ${n} was answered 204 but is not in the store`);
      assert.equal(accepted.length, 60);
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps large jobs whole when the server is SIGKILLed while the WAL checkpoint worker copies them', async () => {
    const dataDir = tempDir();
    const server = await startChildServer({ DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY });
    let listenerId = '';
    const accepted: number[] = [];
    const records = (n: number) => Array.from({ length: 500 }, (_, i) => ({ n, i, text: `${n}:${i}:`.padEnd(4000, 'x') }));
    try {
      const created = await fetch(`${server.baseUrl}/api/v1/listeners`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'durable large', records: { pageSize: 50 } }),
      });
      listenerId = ((await created.json()) as any).id;
      // 12 requests of 2 MB: the log passes 4 MB several times, so checkpoints run while jobs commit.
      for (let wave = 0; wave < 4; wave++) {
        const statuses = await Promise.all([0, 1, 2].map(async (k) => {
          const n = wave * 3 + k;
          const response = await fetch(`${server.baseUrl}/hooks/${listenerId}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(records(n)) });
          if (response.status === 204) accepted.push(n);
          return response.status;
        }));
        assert.deepEqual(new Set(statuses), new Set([204]));
      }
      server.process.kill('SIGKILL');
    } finally {
      server.process.kill('SIGKILL');
      await server.exited;
    }
    assert.ok(fs.statSync(path.join(dataDir, 'hookport.db')).size > 4 * 1024 * 1024, 'checkpoints had copied the log into the database file before the kill');
    const store = new SqliteStore({ file: path.join(dataDir, 'hookport.db') });
    try {
      const jobs = await store.readJobs(listenerId, 0, 1000);
      assert.equal(accepted.length, 12);
      for (const n of accepted) {
        const job = jobs.find((candidate) => JSON.parse(candidate.pages[0]!.recordsJson)[0].n === n);
        assert.ok(job, `request ${n} was answered 204 but is not in the store`);
        const stored = job.pages.flatMap((page) => JSON.parse(page.recordsJson) as Array<{ n: number; i: number; text: string }>);
        assert.deepEqual(stored, records(n), `request ${n} is stored whole`);
      }
    } finally {
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('cuts off a client that never finishes its headers', async () => {
    const dataDir = tempDir();
    const server = await startChildServer({ DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY, HOOKPORT__server__headersTimeoutMs: '400', HOOKPORT__server__requestTimeoutMs: '800' });
    try {
      const closed = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(server.port, '127.0.0.1', () => socket.write('POST /hooks/x HTTP/1.1\r\nHost: a\r\nX-Slow: '));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString()));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
        // a bound so the test cannot hang: far longer than the server's timeouts
        setTimeout(() => {
          socket.destroy();
          resolve('still open');
        }, 15_000).unref();
      });
      assert.notEqual(closed, 'still open', 'the server closed the connection by itself');
      assert.match(closed, /^HTTP\/1\.1 408|^$/);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses headers larger than server.maxHeaderBytes with 431', async () => {
    const dataDir = tempDir();
    const server = await startChildServer({ DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY, HOOKPORT__server__maxHeaderBytes: '4096' });
    try {
      const response = await fetch(`${server.baseUrl}/hooks/${'a'.repeat(32)}`, { method: 'POST', headers: { 'X-Big': 'x'.repeat(8192) }, body: '{}' });
      assert.equal(response.status, 431);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
