/**
 * `hookport check-config`: validates configuration files and environment as
 * start-up would, and that the data directory and secret key fit each other,
 * without starting anything or writing a file. Exit 0 or 78.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config';
import { loadSecretKey } from '../secrets/secret-box';
import { sealedSampleIn } from '../secrets/sealed-in-store';
import { cliConfig, databaseFile, EXIT, openDataStore, parseCommandArgs, print, type Command } from './command';

const HELP = `Usage: hookport check-config

Reads config/default.json, config/<NODE_ENV>.json and the environment exactly as
start-up does and reports the first problems, naming each key and where its value
came from. Also checks that DATA_DIR can be written and that the secret key opens
the secrets already stored there. Starts nothing and writes nothing.

Exit codes: 0 valid, 78 invalid (the message says what to change).`;

function checkDataDir(dataDir: string): void {
  let existing = dataDir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  try {
    fs.accessSync(existing, fs.constants.W_OK);
  } catch {
    throw new ConfigError(`dataDir ${dataDir} cannot be written by this user (checked ${existing}) — set DATA_DIR to a writable directory`);
  }
}

export const checkConfigCommand: Command = {
  name: 'check-config',
  summary: 'validate configuration, environment, data directory and secret key (exit 0 or 78)',
  help: HELP,
  async run(args) {
    if (parseCommandArgs(args, {}).help) {
      print(HELP);
      return EXIT.OK;
    }
    const config = cliConfig();
    checkDataDir(config.dataDir);
    const keyFile = path.join(config.dataDir, 'secret.key');
    let keyNote = config.secretKey ? 'HOOKPORT_SECRET_KEY' : fs.existsSync(keyFile) ? keyFile : `${keyFile} (generated at the first start)`;
    if (config.mongodbUri || fs.existsSync(databaseFile(config))) {
      const store = await openDataStore(config, false);
      try {
        const sealed = await sealedSampleIn(store);
        // Only when something would be read: a missing key file with nothing sealed is generated at start, not here.
        if (sealed || config.secretKey || fs.existsSync(keyFile)) loadSecretKey(config.secretKey, config.dataDir, sealed);
        if (sealed) keyNote += ', opens the stored secrets';
      } finally {
        await store.close();
      }
    }
    print([
      'configuration is valid:',
      `  listen      ${config.host}:${config.port}`,
      `  public URL  ${config.publicUrl}`,
      `  store       ${config.mongodbUri ? 'MongoDB' : databaseFile(config)}`,
      `  secret key  ${keyNote}`,
      `  admin key   ${config.adminKey ? 'HOOKPORT_ADMIN_KEY is set' : 'not set (a key is generated and printed at the first start)'}`,
    ].join('\n'));
    return EXIT.OK;
  },
};
