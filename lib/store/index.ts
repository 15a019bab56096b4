/** Picks the store adapter from configuration. */
import path from 'node:path';
import type { Config } from '../config';
import type { Store } from './store';
import { SqliteStore } from './sqlite/sqlite-store';
import { MongoStore } from './mongo/mongo-store';

export const SQLITE_FILE = 'hookport.db';

export async function openStore(config: Config): Promise<Store> {
  if (config.mongodbUri) {
    return MongoStore.open({ uri: config.mongodbUri, unattachedLimit: config.jobs.unattachedLimit });
  }
  return new SqliteStore({
    file: path.join(config.dataDir, SQLITE_FILE),
    synchronous: config.store.sqliteSynchronous,
    unattachedLimit: config.jobs.unattachedLimit,
  });
}
