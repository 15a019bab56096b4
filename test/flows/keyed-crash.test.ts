import assert from 'node:assert/strict';
import fs from 'node:fs';
import { childApi } from '../helpers/child-api';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { tempDir } from '../helpers/harness';
import { startDestination, type Destination, type Received } from './destinations';

const ADMIN_KEY = 'keyed-crash-admin-key-0123456789abcd';
const JOBS = 300;
const KEYS = 20;
const CONCURRENCY = 8;
/** lib/flows/keyed-worker.ts WINDOW_FACTOR × concurrency: the most pages a crash may send again. */
const WINDOW = 4 * CONCURRENCY;

const recordOf = (request: Received) => (request.json as Array<{ key: number; n: number }>)[0]!;

describe('parallel delivery across a crash', function () {
  this.timeout(120_000);
  let dest: Destination;
  let dataDir: string;
  const servers: ChildServer[] = [];
  before(() => {
    dataDir = tempDir();
  });
  after(async () => {
    await Promise.all(servers.filter((s) => s.process.exitCode === null && s.process.signalCode === null).map((s) => (s.process.kill('SIGKILL'), s.exited)));
    await dest?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged record when the server is killed mid-run, and keeps each key’s order for first deliveries', async () => {
    dest = await startDestination((_request, index) => ({ status: 200, body: 'ok', delayMs: 3 + (index % 5) }));
    const env = { DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY };
    const first = await startChildServer(env);
    servers.push(first);
    const call = childApi(first.baseUrl, ADMIN_KEY);
    const listener = await call('POST', '/listeners', { name: 'crash', verification: { type: 'none' }, records: { pageSize: 1 } });
    const imp = await call('POST', '/imports', { name: 'dest', url: dest.url });
    const flow = await call('POST', '/flows', {
      name: 'f', listenerId: listener.body.id, imports: [imp.body.id], enabled: false, delivery: { concurrency: CONCURRENCY, orderingKey: '{{record.key}}' },
    });
    assert.equal(flow.status, 201);
    for (let n = 0; n < JOBS; n++) {
      const response = await fetch(`${first.baseUrl}/hooks/${listener.body.id}`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: n % KEYS, n }),
      });
      assert.equal(response.status, 204, 'acknowledged: from here on it must be delivered');
    }
    assert.equal((await call('PATCH', `/flows/${flow.body.id}`, { enabled: true })).status, 200);

    await dest.waitFor(JOBS / 3);
    first.process.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const beforeCrash = dest.received.length;
    assert.ok(beforeCrash < JOBS, 'killed mid-run');

    const second = await startChildServer(env);
    servers.push(second);
    const delivered = () => new Set(dest.received.map((r) => recordOf(r).n)).size;
    while (delivered() < JOBS) await dest.waitFor(dest.received.length + 1);

    second.process.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);

    const seen = new Set<number>();
    const firstDeliveries = dest.received.map(recordOf).filter((record) => !seen.has(record.n) && seen.add(record.n));
    assert.equal(firstDeliveries.length, JOBS, 'every acknowledged record arrived');
    for (let key = 0; key < KEYS; key++) {
      const ns = firstDeliveries.filter((record) => record.key === key).map((record) => record.n);
      assert.deepEqual(ns, [...ns].sort((a, b) => a - b), `key ${key}: first deliveries in arrival order`);
    }
    const again = dest.received.length - JOBS;
    assert.ok(again <= WINDOW, `at most the window (${WINDOW} pages) is sent again after the crash: ${again}`);
  });
});
