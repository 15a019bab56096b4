/**
 * The SQLite driver: libsql, which has better-sqlite3's synchronous API and ships
 * prebuilt binaries in the npm registry (nothing compiles or downloads at install).
 * Only lib/store/sqlite/ imports it.
 */
import Libsql from 'libsql';

/** The part of a prepared statement we use. Rows carry an extra `_metadata` member from libsql: read named columns only. */
export interface Statement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface Database {
  prepare(sql: string): Statement;
  exec(sql: string): unknown;
  pragma(sql: string): unknown;
  close(): unknown;
  readonly inTransaction: boolean;
}

export function openDatabase(file: string): Database {
  return new Libsql(file) as unknown as Database;
}
