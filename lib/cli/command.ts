/**
 * What every `hookport` subcommand shares: exit codes, argument parsing with
 * `--help`, and the data directory opened the way the server opens it. Each
 * subcommand is one file exporting a `Command`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, type Config } from '../config';
import { openStore, SQLITE_FILE } from '../store';
import type { Store } from '../store/store';

/** Documented in docs/operations.md ("The hookport command"). */
export const EXIT = {
  OK: 0,
  /** The command ran and failed (unknown id, file exists, server could not start). */
  FAILURE: 1,
  /** Wrong arguments (BSD sysexits EX_USAGE). */
  USAGE: 64,
  /** Invalid configuration or environment, including a secret key that does not fit the data (EX_CONFIG). */
  CONFIG: 78,
} as const;

/** Wrong arguments: printed with the command's usage, exit 64. */
export class UsageError extends Error {}

/** A failure the operator can act on: printed as one line, exit 1. */
export class CommandFailure extends Error {}

export interface Command {
  name: string;
  summary: string;
  /** The full help text, shown by `hookport <name> --help`. */
  help: string;
  /** Resolves with the exit code. */
  run(args: string[]): Promise<number>;
}

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses strictly; unknown options and missing values are UsageErrors. `help` is true for --help / -h. */
export function parseCommandArgs(args: string[], options: Options, allowPositionals = false) {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals, help: parsed.values.help === true };
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Configuration from files and environment, as the server reads it. Throws ConfigError (exit 78). */
export function cliConfig(): Config {
  return loadConfig();
}

export function databaseFile(config: Config): string {
  return path.join(config.dataDir, SQLITE_FILE);
}

/** Opens the store of the configured data directory; with `mustExist`, refuses a data directory that holds no database yet. */
export async function openDataStore(config: Config, mustExist: boolean): Promise<Store> {
  if (mustExist && !config.mongodbUri && !fs.existsSync(databaseFile(config))) {
    throw new CommandFailure(`no database at ${databaseFile(config)}: check DATA_DIR (hookport creates it at its first start)`);
  }
  return openStore(config);
}
