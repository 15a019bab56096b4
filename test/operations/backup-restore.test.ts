import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startChildServer, withoutSharedMongo } from '../helpers/child-server';
import { childApi, sendBasicHook } from '../helpers/child-api';
import { tempDir } from '../helpers/harness';

const ADMIN_KEY = 'backup-test-admin-key-0123456789abcdef';
const SERVER = path.resolve(__dirname, '../../lib/server.js');

/** Runs the server expecting it to refuse to start; resolves its exit code and stderr. */
async function refusedStart(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [SERVER], {
    // Not MONGODB_URI (CI runs the suite under scripts/test-mongo.sh): this server's data is its DATA_DIR.
    env: { ...withoutSharedMongo(), NODE_ENV: 'test', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', HOOKPORT_ADMIN_KEY: ADMIN_KEY },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

/** Starts a server in `dataDir`, makes a listener with a sealed password, an import with a private header, a flow and one job, and stops it with SIGTERM. */
async function populate(dataDir: string): Promise<{ listenerId: string; importId: string; flowId: string }> {
  const server = await startChildServer({ MONGODB_URI: '', DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY });
  try {
    const api = childApi(server.baseUrl, ADMIN_KEY);
    const listener = await api('POST', '/listeners', { name: 'kept', verification: { type: 'basic', username: 'u', passwords: ['backup-password-1'] } });
    const imported = await api('POST', '/imports', {
      name: 'erp', url: 'http://127.0.0.1:9/unused', headers: [{ name: 'Authorization', value: 'Bearer erp-token', private: true }],
    });
    const flow = await api('POST', '/flows', { name: 'waits', listenerId: listener.body.id, imports: [imported.body.id], enabled: false });
    assert.equal(flow.status, 201);
    assert.equal(await sendBasicHook(server.baseUrl, listener.body.id, 'u:backup-password-1', [{ id: 1 }, { id: 2 }]), 204);
    return { listenerId: listener.body.id, importId: imported.body.id, flowId: flow.body.id };
  } finally {
    server.process.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  }
}

describe('backup and restore', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const dir = () => {
    const made = tempDir();
    dirs.push(made);
    return made;
  };
  after(() => {
    for (const made of dirs) fs.rmSync(made, { recursive: true, force: true });
  });

  it('after a SIGTERM, copying the two files the docs name restores everything', async () => {
    const source = dir();
    const { listenerId, importId, flowId } = await populate(source);
    assert.ok(!fs.existsSync(path.join(source, 'hookport.db-wal')) || fs.statSync(path.join(source, 'hookport.db-wal')).size === 0,
      'the write-ahead log was checkpointed into hookport.db on close');

    const restored = dir();
    for (const file of ['hookport.db', 'secret.key']) fs.copyFileSync(path.join(source, file), path.join(restored, file));
    const server = await startChildServer({ MONGODB_URI: '', DATA_DIR: restored, HOOKPORT_ADMIN_KEY: ADMIN_KEY });
    try {
      const api = childApi(server.baseUrl, ADMIN_KEY);
      assert.equal((await api('GET', `/listeners/${listenerId}`)).body.name, 'kept');
      assert.equal((await api('GET', `/imports/${importId}`)).body.headers[0].value, '****oken');
      const jobs = await api('GET', `/flows/${flowId}/jobs`);
      assert.equal(jobs.body.items.length, 1);
      assert.equal(jobs.body.items[0].recordCount, 2);
      // the sealed password still opens with the copied secret.key
      assert.equal(await sendBasicHook(server.baseUrl, listenerId, 'u:backup-password-1', { id: 3 }), 204);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('refuses to start when sealed secrets exist but secret.key is missing, and creates no new key', async () => {
    const source = dir();
    await populate(source);
    fs.rmSync(path.join(source, 'secret.key'));
    const { code, stderr } = await refusedStart(source);
    assert.equal(code, 78);
    assert.match(stderr, new RegExp(`${path.join(source, 'secret.key').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is missing`));
    assert.match(stderr, /from your backup/);
    assert.ok(!fs.existsSync(path.join(source, 'secret.key')), 'no new, wrong key was written');
  });

  it('refuses to start with a secret.key that does not open the stored secrets, and leaves it alone', async () => {
    const source = dir();
    await populate(source);
    const wrong = `${Buffer.alloc(32, 9).toString('base64')}\n`;
    fs.writeFileSync(path.join(source, 'secret.key'), wrong);
    const { code, stderr } = await refusedStart(source);
    assert.equal(code, 78);
    assert.match(stderr, /secret\.key does not open the secrets stored in this data \(listener [a-z0-9]{32}\)/);
    assert.equal(fs.readFileSync(path.join(source, 'secret.key'), 'utf8'), wrong);
  });
});
