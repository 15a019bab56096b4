import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startChildServer, type ChildServer } from '../helpers/child-server';
import { tempDir } from '../helpers/harness';
import { ok, startDestination, type Destination } from './destinations';

const ADMIN_KEY = 'delivery-crash-admin-key-0123456789';

async function call(server: ChildServer, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('delivery across a crash', function () {
  this.timeout(60_000);
  let dest: Destination;
  let dataDir: string;
  const servers: ChildServer[] = [];
  before(async () => {
    dataDir = tempDir();
  });
  after(async () => {
    for (const server of servers) {
      if (server.process.exitCode === null && server.process.signalCode === null) server.process.kill('SIGKILL');
      await server.exited;
    }
    await dest?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after a SIGKILL of the server, re-sending the page in flight and losing none', async () => {
    // Pages 0–2 are answered; page 3 is left hanging, so it is in flight when the server dies.
    dest = await startDestination((request, index) => (index === 3 ? 'hang' : ok(request, index)));
    const env = { DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY };
    const first = await startChildServer(env);
    servers.push(first);
    const listener = await call(first, 'POST', '/api/v1/listeners', { name: 'crash', verification: { type: 'none' }, records: { pageSize: 1 } });
    assert.equal(listener.status, 201);
    const imp = await call(first, 'POST', '/api/v1/imports', { name: 'dest', url: dest.url });
    const flow = await call(first, 'POST', '/api/v1/flows', { name: 'f', listenerId: listener.body.id, imports: [imp.body.id] });
    assert.equal(flow.status, 201);
    const hook = (body: unknown) =>
      fetch(`${first.baseUrl}/hooks/${listener.body.id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await hook(Array.from({ length: 8 }, (_, id) => ({ id })))).status, 204);
    assert.equal((await hook({ id: 8 })).status, 204);
    assert.equal((await hook({ id: 9 })).status, 204);

    await dest.waitFor(4);
    // The position moves in batches (lib/flows/cursor-progress.ts): wait until the one before the
    // page in flight is stored, which the flow's job view shows as page 3 being delivered.
    const atPageThree = async () => {
      const jobs = await call(first, 'GET', `/api/v1/flows/${flow.body.id}/jobs`);
      const firstJob = (jobs.body.items as Array<{ pages: Array<{ status: string }> }>).find((job) => job.pages.length === 8);
      return firstJob?.pages[3]?.status === 'delivering';
    };
    for (const deadline = Date.now() + 10_000; !(await atPageThree()); ) {
      assert.ok(Date.now() < deadline, 'the position before the page in flight is stored within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.process.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    dest.setReply(ok);

    const second = await startChildServer(env);
    servers.push(second);
    await dest.waitFor(11);
    const ids = dest.received.map((r) => (r.json as Array<{ id: number }>)[0]!.id);
    assert.deepEqual(ids, [0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9], 'only the page in flight is sent twice, and in order');
    assert.equal(dest.received[4]!.headers['idempotency-key'], dest.received[3]!.headers['idempotency-key'], 'with the same key');

    second.process.kill('SIGTERM');
    assert.equal((await second.exited).code, 0);
    assert.equal(dest.received.length, 11, 'nothing more was sent');
  });
});
