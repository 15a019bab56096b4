/** Picks the store adapter from configuration. */
import path from 'node:path';
import type { Config } from '../config';
import { ConfigError } from '../config';
import type { Store } from './store';
import { SqliteStore } from './sqlite/sqlite-store';

export const SQLITE_FILE = 'hookport.db';

export async function openStore(config: Config): Promise<Store> {
  if (config.mongodbUri) {
    throw new ConfigError('Invalid configuration: mongodbUri is set, but this build has no MongoDB adapter yet; unset MONGODB_URI to use the embedded store');
  }
  return new SqliteStore({
    file: path.join(config.dataDir, SQLITE_FILE),
    synchronous: config.store.sqliteSynchronous,
    unattachedLimit: config.jobs.unattachedLimit,
  });
}
