/**
 * Finding 10 of #11: 100,000 HMAC keys on one listener were accepted and made each
 * unsigned request cost 543 ms; the SQLite files were mode 0644.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { measure, send, summary } from './probe';

describe('hostile: secrets per verifier and file modes', () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await createHarness();
    base = await h.listen();
  });
  after(() => h.close());

  it('refuses more than 10 secrets in one list with 400 naming the field', async () => {
    const keys = Array.from({ length: 11 }, (_, i) => `key-number-${i}-0123456789`);
    for (const verification of [
      { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys },
      { type: 'basic', username: 'u', passwords: keys },
      { type: 'token', tokens: keys, location: { in: 'header', name: 'X-Token' } },
      { type: 'preset', provider: 'github', secrets: keys },
    ]) {
      const response = await h.api().post('/listeners', { name: 'many', verification });
      assert.equal(response.status, 400, verification.type);
      assert.match(JSON.stringify(response.body.errors), /\/verification\/(keys|passwords|tokens|secrets)/);
    }
  });

  it('answers an unsigned request to a listener with the most keys promptly', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => `key-number-${i}-0123456789`);
    const listener = await createListener(h, { verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys } });
    const body = JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024) });
    const measured = await measure(() => send(base, hookPath(listener), { headers: { 'Content-Type': 'application/json', 'X-Signature': 'nope' }, body }));
    assert.equal(measured.result.status, 401);
    assert.ok(measured.ms < 3000, summary(measured));
  });

  it('creates the SQLite files readable by the owner only (0600)', async () => {
    await createListener(h, {});
    const files = fs.readdirSync(h.dataDir).filter((name) => name.startsWith('hookport.db'));
    assert.ok(files.includes('hookport.db') && files.includes('hookport.db-wal'), files.join(','));
    for (const name of files) {
      assert.equal(fs.statSync(path.join(h.dataDir, name)).mode & 0o777, 0o600, name);
    }
  });
});
