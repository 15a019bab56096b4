import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startChildServer } from '../helpers/child-server';
import { createHarness, tempDir } from '../helpers/harness';

const FIRST_KEY = 'first-env-admin-key-aaaaaaaaaaaaaaaa1111';
const SECOND_KEY = 'second-env-admin-key-bbbbbbbbbbbbbbbb2222';

describe('HOOKPORT_ADMIN_KEY lifecycle', function () {
  this.timeout(60_000);

  it('is one managed key: a new value revokes the previous one and the key printed at first start', async () => {
    const h = await createHarness();
    try {
      const printed = await h.services.apiKeys.bootstrap(null);
      assert.equal(printed.generated, null, 'the harness already stored a key, so nothing is generated');
      // a first start with no key at all generates the bootstrap key
      await h.services.store.apiKeys.delete((await h.services.apiKeys.all())[0]!.id);
      const first = await h.services.apiKeys.bootstrap(null);
      assert.match(first.generated ?? '', /^hpk_/);
      const support = await h.services.apiKeys.create('support desk', 'support');

      const withFirst = await h.services.apiKeys.bootstrap(FIRST_KEY);
      assert.deepEqual(withFirst.revoked.map((doc) => doc.name), ['bootstrap admin'], 'the printed key is replaced');
      const withSecond = await h.services.apiKeys.bootstrap(SECOND_KEY);
      assert.deepEqual(withSecond.revoked.map((doc) => doc.name), ['HOOKPORT_ADMIN_KEY']);
      h.clock.advanceSeconds(60); // past the authentication cache

      const status = async (key: string) => (await h.request().get('/api/v1/listeners').set('Authorization', `Bearer ${key}`)).status;
      assert.equal(await status(FIRST_KEY), 401);
      assert.equal(await status(first.generated!), 401);
      assert.equal(await status(SECOND_KEY), 200);
      assert.equal(await status(support.key), 200, 'keys created through the API are not touched');

      const list = await h.request().get('/api/v1/api-keys').set('Authorization', `Bearer ${SECOND_KEY}`);
      const envKeys = list.body.items.filter((item: any) => item.source === 'environment');
      assert.equal(envKeys.length, 1);
      assert.equal(envKeys[0].keyPrefix, '****2222', 'a chosen key shows only its last 4 characters');
      const generated = list.body.items.find((item: any) => item.id === support.doc.id);
      assert.equal(generated.keyPrefix, support.key.slice(0, 8));
      assert.equal(generated.source, 'generated');
      assert.ok(!JSON.stringify(list.body).includes('second-e'), 'no start of a chosen key is listed');

      // a restart with the same value changes nothing
      assert.deepEqual((await h.services.apiKeys.bootstrap(SECOND_KEY)).revoked, []);
    } finally {
      await h.close();
    }
  });

  it('logs the revocation when the server restarts with a new key', async () => {
    const dataDir = tempDir();
    try {
      const first = await startChildServer({ MONGODB_URI: '', DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: FIRST_KEY });
      first.process.kill('SIGTERM');
      await first.exited;
      const second = await startChildServer({ MONGODB_URI: '', DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: SECOND_KEY });
      try {
        assert.match(second.stdout(), /HOOKPORT_ADMIN_KEY changed: the admin key it replaces was revoked/);
        const old = await fetch(`${second.baseUrl}/api/v1/listeners`, { headers: { Authorization: `Bearer ${FIRST_KEY}` } });
        assert.equal(old.status, 401);
      } finally {
        second.process.kill('SIGTERM');
        await second.exited;
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a key shorter than 32 characters with exit code 78 and says how to make one', async () => {
    const dataDir = tempDir();
    try {
      const child = spawn(process.execPath, [path.resolve(__dirname, '../../lib/server.js')], {
        env: { ...process.env, MONGODB_URI: '', NODE_ENV: 'test', DATA_DIR: dataDir, PORT: '0', HOOKPORT_ADMIN_KEY: 'short-key-0123456789' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 78);
      assert.match(stderr, /adminKey must NOT have fewer than 32 characters/);
      assert.match(stderr, /HOOKPORT_ADMIN_KEY/);
      assert.match(stderr, /openssl rand -hex 32/);
      assert.ok(!stderr.includes('short-key-0123456789'), 'the key itself is not echoed');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
