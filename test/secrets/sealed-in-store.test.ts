import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import path from 'node:path';
import { SecretBox } from '../../lib/secrets/secret-box';
import { sealedSampleIn } from '../../lib/secrets/sealed-in-store';
import { SqliteStore } from '../../lib/store/sqlite/sqlite-store';
import { tempDir } from '../helpers/harness';

describe('sealed secrets in the store (start-up key check)', () => {
  it('finds a connection’s sealed header when no listener or import holds a secret', async () => {
    const store = new SqliteStore({ file: path.join(tempDir(), 'hookport.db') });
    try {
      assert.equal(await sealedSampleIn(store), null);
      const box = new SecretBox(crypto.randomBytes(32));
      const at = new Date().toISOString();
      const id = 'c'.repeat(32);
      const sealed = box.encrypt('Bearer partner-token');
      await store.connections.insert({ id, settings: { name: 'partner', baseUrl: 'https://api.example', headers: [{ name: 'Authorization', value: sealed, private: true, inherit: true }], uid: null }, createdAt: at, updatedAt: at });
      assert.deepEqual(await sealedSampleIn(store), { value: sealed, where: `connection ${id}` });
    } finally {
      await store.close();
    }
  });
});
