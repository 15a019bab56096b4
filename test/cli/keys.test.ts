import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startChildServer } from '../helpers/child-server';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/harness';

async function status(baseUrl: string, key: string): Promise<number> {
  return (await fetch(`${baseUrl}/api/v1/listeners`, { headers: { Authorization: `Bearer ${key}` } })).status;
}

describe('hookport keys', function () {
  this.timeout(90_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = tempDir();
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('recovers a lost admin key: created in the data directory while the server is stopped, it works at the next start', async () => {
    // first start prints a key nobody kept
    const first = await startChildServer({ MONGODB_URI: '', DATA_DIR: dataDir });
    assert.match(first.stdout(), /an admin key was generated/);
    first.process.kill('SIGTERM');
    await first.exited;

    const created = await runCli(['keys', 'create', '--role', 'admin', '--name', 'recovery'], { DATA_DIR: dataDir });
    assert.equal(created.code, 0, created.stderr);
    const key = /\b(hpk_[A-Za-z0-9_-]{43})\b/.exec(created.stdout)?.[1];
    assert.ok(key, created.stdout);

    const server = await startChildServer({ MONGODB_URI: '', DATA_DIR: dataDir });
    try {
      assert.doesNotMatch(server.stdout(), /an admin key was generated/, 'no second bootstrap key');
      assert.equal(await status(server.baseUrl, key!), 200);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('lists keys with role, source and hint, and revokes one by id', async () => {
    const made = await runCli(['keys', 'create', '--role', 'support', '--json'], { DATA_DIR: dataDir });
    assert.equal(made.code, 0, made.stderr);
    const created = JSON.parse(made.stdout);
    assert.equal(created.role, 'support');
    assert.equal(created.keyPrefix, created.key.slice(0, 8));

    const listed = await runCli(['keys', 'list', '--json'], { DATA_DIR: dataDir });
    assert.equal(listed.code, 0);
    const items = JSON.parse(listed.stdout);
    assert.deepEqual(items.map((item: any) => [item.id, item.role, item.source]), [[created.id, 'support', 'generated']]);
    assert.ok(!listed.stdout.includes(created.key), 'a listing never shows a key');

    const table = await runCli(['keys', 'list'], { DATA_DIR: dataDir });
    assert.match(table.stdout, new RegExp(`${created.id}\\s+support\\s+generated\\s+${created.keyPrefix}`));

    const revoked = await runCli(['keys', 'revoke', created.id], { DATA_DIR: dataDir });
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.deepEqual(JSON.parse((await runCli(['keys', 'list', '--json'], { DATA_DIR: dataDir })).stdout), []);

    const again = await runCli(['keys', 'revoke', created.id], { DATA_DIR: dataDir });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no API key .*hookport keys list/);
  });

  it('answers --help with exit 0 and wrong arguments with the usage and exit 64', async () => {
    const help = await runCli(['keys', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /hookport keys create --role admin\|integrator\|support/);
    const bad = await runCli(['keys', 'create', '--role', 'root'], { DATA_DIR: dataDir });
    assert.equal(bad.code, 64);
    assert.match(bad.stderr, /--role must be one of admin, integrator, support/);
    const unknown = await runCli(['keys', 'create', '--rol', 'admin'], { DATA_DIR: dataDir });
    assert.equal(unknown.code, 64);
    assert.match(unknown.stderr, /--rol/);
  });
});
