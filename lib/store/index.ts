/**
 * Picks the store adapter from configuration. The MongoDB adapter is loaded only
 * when configured: mongoose and its driver add ~30 MiB to every process that
 * loads them, and the embedded store does not need them.
 */
import path from 'node:path';
import type { Config } from '../config';
import type { Store } from './store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { MongoStore as MongoStoreClass } from './mongo/mongo-store';

export const SQLITE_FILE = 'hookport.db';

export async function openStore(config: Config): Promise<Store> {
  if (config.mongodbUri) {
    // Loaded on demand (see above).
    const { MongoStore } = require('./mongo/mongo-store') as { MongoStore: typeof MongoStoreClass };
    return MongoStore.open({ uri: config.mongodbUri, unattachedLimit: config.jobs.unattachedLimit });
  }
  return new SqliteStore({
    file: path.join(config.dataDir, SQLITE_FILE),
    synchronous: config.store.sqliteSynchronous,
    unattachedLimit: config.jobs.unattachedLimit,
  });
}
