/**
 * `hookport backup FILE`: a consistent copy of the database while the server
 * keeps serving (the store's backup: SQLite's VACUUM INTO, one read
 * transaction). The secret key is not put into the backup: it is kept apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cliConfig, CommandFailure, databaseFile, EXIT, openDataStore, parseCommandArgs, print, UsageError, type Command } from './command';

const HELP = `Usage: hookport backup FILE

Writes a consistent copy of the database (DATA_DIR/hookport.db) to FILE, which must
not exist yet. Safe while the server runs and accepts requests.

The copy does not hold the secret key. Keep DATA_DIR/secret.key (or HOOKPORT_SECRET_KEY)
with your backups, apart from them: without it the stored secrets cannot be opened.
Restore: stop hookport, copy FILE to DATA_DIR/hookport.db (remove hookport.db-wal and
hookport.db-shm), put secret.key back, start.

Exit codes: 0 written, 1 FILE exists or the database is missing, 64 wrong arguments, 78 invalid configuration.`;

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write a consistent copy of the database to a file, also while serving',
  help: HELP,
  async run(args) {
    const { positionals, help } = parseCommandArgs(args, {}, true);
    if (help) {
      print(HELP);
      return EXIT.OK;
    }
    if (positionals.length !== 1) throw new UsageError('give the file to write, e.g. hookport backup /backups/hookport-$(date +%F).db');
    const target = path.resolve(positionals[0]!);
    if (fs.existsSync(target)) throw new CommandFailure(`${target} already exists: choose a new file name`);
    const config = cliConfig();
    const store = await openDataStore(config, true);
    try {
      if (!store.backup) throw new CommandFailure(`the ${store.name} store is backed up with its own tools (mongodump)`);
      await store.backup(target);
    } finally {
      await store.close();
    }
    const keyNote = config.secretKey ? 'HOOKPORT_SECRET_KEY' : path.join(config.dataDir, 'secret.key');
    print(`Backed up ${databaseFile(config)} to ${target} (${fs.statSync(target).size} bytes).\n` +
      `The secret key is not in it: keep ${keyNote} safe, apart from the backup.`);
    return EXIT.OK;
  },
};
