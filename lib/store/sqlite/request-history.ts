/**
 * The request history in SQLite (table `request_history`, migration
 * `060-request-history`). Appends ride the store's WriteBatch; each append then
 * trims every listener it touched to its newest N rows, in the same
 * transaction, so the table never holds more than N per listener.
 */
import type { ListPage, RequestHistoryQuery, RequestHistoryStore, RequestRecord } from '../store';
import type { Database, Statement } from './driver';
import type { WriteBatch } from './write-batch';

export class SqliteRequestHistory implements RequestHistoryStore {
  private readonly insert: Statement;
  private readonly trim: Statement;
  private readonly deleteAll: Statement;

  constructor(private readonly db: Database, private readonly batch: WriteBatch) {
    this.insert = db.prepare('INSERT OR IGNORE INTO request_history (id, listener_id, received_at, outcome, doc) VALUES (?, ?, ?, ?, ?)');
    // Everything older than the listener's N-th newest row goes.
    this.trim = db.prepare(
      'DELETE FROM request_history WHERE listener_id = ? AND id < ' +
        '(SELECT id FROM request_history WHERE listener_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)',
    );
    this.deleteAll = db.prepare('DELETE FROM request_history WHERE listener_id = ?');
  }

  append(records: readonly RequestRecord[], keepPerListener: number): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const rows = records.map((record) => [record.id, record.listenerId, record.receivedAt, record.outcome, JSON.stringify(record)]);
    const listeners = new Set(records.map((record) => record.listenerId));
    return this.batch.run(() => {
      for (const row of rows) this.insert.run(...row);
      for (const listenerId of listeners) this.trim.run(listenerId, listenerId, keepPerListener - 1);
    });
  }

  async list(listenerId: string, query: RequestHistoryQuery): Promise<ListPage<RequestRecord>> {
    const where = ['listener_id = ?'];
    const params: unknown[] = [listenerId];
    if (query.after !== undefined) {
      where.push('id < ?');
      params.push(query.after);
    }
    if (query.outcomes && query.outcomes.length > 0) {
      where.push(`outcome IN (${query.outcomes.map(() => '?').join(', ')})`);
      params.push(...query.outcomes);
    }
    if (query.since !== undefined) {
      where.push('received_at >= ?');
      params.push(query.since);
    }
    if (query.until !== undefined) {
      where.push('received_at < ?');
      params.push(query.until);
    }
    const rows = this.db
      .prepare(`SELECT doc FROM request_history WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`)
      .all(...params, query.limit + 1) as Array<{ doc: string }>;
    const items = rows.slice(0, query.limit).map((row) => JSON.parse(row.doc) as RequestRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? last.id : null };
  }

  deleteListener(listenerId: string): Promise<number> {
    return this.batch.run(() => this.deleteAll.run(listenerId).changes);
  }
}
