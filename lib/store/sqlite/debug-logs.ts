/**
 * Debug log entries in SQLite (the `debug_logs` table of migration
 * `020-debug-logs`). Writes go through the store's WriteBatch, so entries
 * captured during one event-loop turn share the transaction of that turn.
 *
 * Ids sort in capture order, so "newest first" is `ORDER BY id DESC` and the
 * page cursor is simply the id of the last entry returned.
 */
import type { DebugLogEntry, DebugLogListOptions, ListPage } from '../store';
import { DuplicateKeyError } from '../store';
import type { Database, Statement } from './driver';
import type { WriteBatch } from './write-batch';

/** Rows deleted per purge transaction, so a large purge never holds the write lock for long. */
const PURGE_CHUNK = 1000;

interface Row {
  id: string;
  listener_id: string;
  session: string;
  captured_at: string;
  expires_at: string;
  doc: string;
}

export class SqliteDebugLogs {
  private readonly insert: Statement;
  private readonly newest: Statement;
  private readonly newestBefore: Statement;
  private readonly countStatement: Statement;
  private readonly purgeChunk: Statement;

  constructor(db: Database, private readonly batch: WriteBatch) {
    this.insert = db.prepare(
      'INSERT INTO debug_logs (id, listener_id, session, captured_at, expires_at, doc) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.newest = db.prepare('SELECT * FROM debug_logs WHERE listener_id = ? ORDER BY id DESC LIMIT ?');
    this.newestBefore = db.prepare('SELECT * FROM debug_logs WHERE listener_id = ? AND id < ? ORDER BY id DESC LIMIT ?');
    this.countStatement = db.prepare('SELECT COUNT(*) AS n FROM debug_logs WHERE listener_id = ? AND session = ?');
    this.purgeChunk = db.prepare(
      'DELETE FROM debug_logs WHERE rowid IN (SELECT rowid FROM debug_logs WHERE expires_at <= ? LIMIT ?)',
    );
  }

  append(entries: readonly DebugLogEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const rows = entries.map((entry) => [
      entry.id, entry.listenerId, entry.session, entry.capturedAt, entry.expiresAt, JSON.stringify(entry.data),
    ]);
    return this.batch.run(() => {
      for (const row of rows) {
        try {
          this.insert.run(...row);
        } catch (error) {
          if (String((error as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) {
            throw new DuplicateKeyError(`debug_logs: ${(error as Error).message}`);
          }
          throw error;
        }
      }
    });
  }

  async list(listenerId: string, options: DebugLogListOptions): Promise<ListPage<DebugLogEntry>> {
    const rows = (
      options.before === undefined
        ? this.newest.all(listenerId, options.limit + 1)
        : this.newestBefore.all(listenerId, options.before, options.limit + 1)
    ) as Row[];
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit).map(toEntry);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? last.id : null };
  }

  async countSession(listenerId: string, session: string): Promise<number> {
    return (this.countStatement.get(listenerId, session) as { n: number }).n;
  }

  async purgeExpired(now: string): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.batch.run(() => this.purgeChunk.run(now, PURGE_CHUNK).changes);
      total += deleted;
      if (deleted < PURGE_CHUNK) return total;
    }
  }
}

function toEntry(row: Row): DebugLogEntry {
  return {
    id: row.id,
    listenerId: row.listener_id,
    session: row.session,
    capturedAt: row.captured_at,
    expiresAt: row.expires_at,
    data: JSON.parse(row.doc) as Record<string, unknown>,
  };
}
