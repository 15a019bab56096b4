import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startChildServer } from './helpers/child-server';
import { tempDir } from './helpers/harness';

const ADMIN_KEY = 'restart-test-admin-key-0123456789';

async function api(baseUrl: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (response.status === 204 ? undefined : await response.json()) as any };
}

describe('restart', function () {
  this.timeout(60_000);

  it('keeps listeners, imports, flows and keys across a SIGTERM and a new start', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY };
    const first = await startChildServer(env);
    const listener = await api(first.baseUrl, 'POST', '/listeners', {
      name: 'survives',
      verification: { type: 'basic', username: 'u', passwords: ['restart-password-1'] },
    });
    assert.equal(listener.status, 201);
    const imp = await api(first.baseUrl, 'POST', '/imports', { name: 'erp', url: 'https://erp.example/x' });
    const flow = await api(first.baseUrl, 'POST', '/flows', { name: 'f', listenerId: listener.body.id, imports: [imp.body.id] });
    assert.equal(flow.status, 201);
    const hook = await fetch(`${first.baseUrl}/hooks/${listener.body.id}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from('u:restart-password-1').toString('base64')}` },
      body: JSON.stringify({ id: 1 }),
    });
    assert.equal(hook.status, 204);

    first.process.kill('SIGTERM');
    const ended = await first.exited;
    assert.equal(ended.code, 0, 'SIGTERM ends the process cleanly');
    assert.match(first.stdout(), /"msg":"stopped"/);

    const second = await startChildServer(env);
    try {
      const read = await api(second.baseUrl, 'GET', `/listeners/${listener.body.id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.name, 'survives');
      assert.equal((await api(second.baseUrl, 'GET', `/imports/${imp.body.id}`)).body.url, 'https://erp.example/x');
      assert.equal((await api(second.baseUrl, 'GET', `/flows/${flow.body.id}`)).body.listenerId, listener.body.id);
      // the secret still verifies after restart: it was sealed, stored and unsealed with the same key file
      const again = await fetch(`${second.baseUrl}/hooks/${listener.body.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from('u:restart-password-1').toString('base64')}` },
        body: JSON.stringify({ id: 2 }),
      });
      assert.equal(again.status, 204);
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
