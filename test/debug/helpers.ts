/** Shared steps for the debug log tests: start a session, read the logs, read the raw database files. */
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import type { Harness } from '../helpers/harness';

export async function startDebug(h: Harness, listenerId: string, minutes?: number): Promise<string> {
  const response = await h.api().post(`/listeners/${listenerId}/debug`, minutes === undefined ? {} : { minutes });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.debugUntil;
}

/** Every entry of the listener, newest first (the logs endpoint writes queued entries before reading). */
export async function debugLogs(h: Harness, listenerId: string, query = ''): Promise<any> {
  const response = await h.api().get(`/listeners/${listenerId}/debug/logs${query}`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/** The SQLite files as bytes: the main file and its write-ahead log (where fresh commits live). */
export function databaseBytes(h: Harness): Buffer {
  const parts: Buffer[] = [];
  for (const suffix of ['', '-wal', '-shm']) {
    const file = path.join(h.dataDir, `hookport.db${suffix}`);
    if (fs.existsSync(file)) parts.push(fs.readFileSync(file));
  }
  assert.ok(parts.length >= 2, 'the database and its WAL exist');
  return Buffer.concat(parts);
}

/** Asserts that `value` appears nowhere in `bytes`, as UTF-8, UTF-16LE (SQLite may store either) or base64. */
export function assertAbsent(bytes: Buffer, value: string, what: string): void {
  for (const encoded of [Buffer.from(value, 'utf8'), Buffer.from(value, 'utf16le'), Buffer.from(Buffer.from(value).toString('base64'))]) {
    assert.equal(bytes.indexOf(encoded), -1, `${what} (${value}) was found in the stored data`);
  }
}
