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

  runWritersContract('mongodb', {
    async createPair() {
      const first = await fresh();
      return [first, await MongoStore.open({ uri, unattachedLimit: 10 })];
    },
  });
});
