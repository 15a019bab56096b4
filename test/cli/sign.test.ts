import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { startChildServer } from '../helpers/child-server';
import { childApi } from '../helpers/child-api';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/harness';

const ADMIN_KEY = 'cli-sign-admin-key-0123456789abcdefgh';
const SECRET = 'cli-sign-shopify-secret';

describe('hookport sign', function () {
  this.timeout(90_000);

  it("prints the headers Shopify would send for a body, and its --curl command is accepted by the listener", async () => {
    const dataDir = tempDir();
    const server = await startChildServer({ MONGODB_URI: '', DATA_DIR: dataDir, HOOKPORT_ADMIN_KEY: ADMIN_KEY, HOOKPORT_PUBLIC_URL: 'http://127.0.0.1:1' });
    try {
      const api = childApi(server.baseUrl, ADMIN_KEY);
      const listener = await api('POST', '/listeners', { name: 'shop', verification: { type: 'preset', provider: 'shopify', secrets: [SECRET] } });
      const body = '{"orders":[{"id":7}]}';
      const signed = await runCli(['sign', listener.body.id, '--body', body], { DATA_DIR: dataDir, HOOKPORT_PUBLIC_URL: 'http://127.0.0.1:1' });
      assert.equal(signed.code, 0, signed.stderr);
      const expected = crypto.createHmac('sha256', SECRET).update(body).digest('base64');
      const lines = signed.stdout.trim().split('\n');
      assert.equal(lines[0], `POST http://127.0.0.1:1/hooks/${listener.body.id}`);
      assert.ok(lines.includes(`x-shopify-hmac-sha256: ${expected}`), signed.stdout);
      assert.ok(lines.includes('content-type: application/json'));
      assert.ok(!signed.stdout.includes(SECRET), 'the secret itself is never printed');

      const curl = await runCli(['sign', listener.body.id, '--body', body, '--curl'], { DATA_DIR: dataDir, HOOKPORT_PUBLIC_URL: 'http://127.0.0.1:1' });
      assert.equal(curl.code, 0, curl.stderr);
      // the public URL differs from where the test server listens: point curl at it
      const command = curl.stdout.trim().replace('http://127.0.0.1:1/', `${server.baseUrl}/`);
      const { stdout } = await promisify(execFile)('sh', ['-c', command]);
      assert.match(stdout, /^HTTP\/1\.1 204/);

      const unknown = await runCli(['sign', 'NOPE'], { DATA_DIR: dataDir, HOOKPORT_PUBLIC_URL: 'http://127.0.0.1:1' });
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no listener NOPE .*case-sensitive/);
    } finally {
      server.process.kill('SIGTERM');
      await server.exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
