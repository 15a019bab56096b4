import assert from 'node:assert/strict';
import { MongoStore } from '../../lib/store/mongo/mongo-store';
import type { Store } from '../../lib/store/store';
import { databaseUri, whenMongo } from '../helpers/mongo';
import { runStoreContract } from './contract';
import { runWritersContract } from './contract-writers';

whenMongo('store contract: mongodb', (server) => {
  const uri = databaseUri(server, 'hookport_contract');

  async function fresh(): Promise<MongoStore> {
    const store = await MongoStore.open({ uri, unattachedLimit: 10 });
    await store.clearAll();
    return store;
  }

  runStoreContract('mongodb', {
    create: fresh,
    async reopen(store: Store) {
      await store.close();
      return MongoStore.open({ uri, unattachedLimit: 10 });
    },
  });

  describe('mongodb store specifics', () => {
    it('answers ping (/readyz) while connected, and rejects once the connection is gone', async () => {
      const store = await MongoStore.open({ uri });
      await store.ping();
      await store.close();
      await assert.rejects(store.ping(), /not open/);
    });

    it('fails to open, within its server timeout, when no server answers', async () => {
      const started = Date.now();
      await assert.rejects(MongoStore.open({ uri: 'mongodb://127.0.0.1:9/hookport', serverSelectionTimeoutMs: 500 }));
      assert.ok(Date.now() - started < 10_000);
    });
  });

  runWritersContract('mongodb', {
    async createPair() {
      const first = await fresh();
      return [first, await MongoStore.open({ uri, unattachedLimit: 10 })];
    },
  });
});
