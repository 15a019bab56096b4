/**
 * The request history in SQLite (table `request_history`, migrations
 * `070-request-history` and `080-clustered-request-history`: rows clustered on
 * (listener_id, id)). Appends ride the store's WriteBatch; each append then
 * trims every listener it touched to its newest N rows, in the same
 * transaction, so the table never holds more than N per listener.
 *
 * The trim deletes the oldest rows by count: how many rows a listener has is
 * counted once, then kept in step with every append, trim and delete (only this
 * process writes the file), so a trim reads only the rows it deletes rather
 * than walking past the N it keeps. A write that fails forgets the counts.
 */
import type { ListPage, RequestHistoryQuery, RequestHistoryStore, RequestRecord } from '../store';
import type { Database, Statement } from './driver';
import type { WriteBatch } from './write-batch';

export class SqliteRequestHistory implements RequestHistoryStore {
  private readonly insert: Statement;
  private readonly trimOldest: Statement;
  private readonly countRows: Statement;
  private readonly deleteAll: Statement;
  /** Rows per listener, as committed by the writes so far (see above). */
  private readonly counts = new Map<string, number>();

  constructor(private readonly db: Database, private readonly batch: WriteBatch) {
    this.insert = db.prepare('INSERT OR IGNORE INTO request_history (id, listener_id, received_at, outcome, doc) VALUES (?, ?, ?, ?, ?)');
    this.trimOldest = db.prepare(
      'DELETE FROM request_history WHERE listener_id = ? AND id IN (SELECT id FROM request_history WHERE listener_id = ? ORDER BY id LIMIT ?)',
    );
    this.countRows = db.prepare('SELECT COUNT(*) AS n FROM request_history WHERE listener_id = ?');
    this.deleteAll = db.prepare('DELETE FROM request_history WHERE listener_id = ?');
  }

  append(records: readonly RequestRecord[], keepPerListener: number): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    const rows = records.map((record) => [record.id, record.listenerId, record.receivedAt, record.outcome, JSON.stringify(record)]);
    const written = this.batch.run(() => {
      const added = new Map<string, number>();
      for (const row of rows) {
        const listenerId = row[1]!;
        if (this.insert.run(...row).changes > 0) added.set(listenerId, (added.get(listenerId) ?? 0) + 1);
      }
      for (const [listenerId, count] of added) {
        const known = this.counts.get(listenerId);
        // Counted after the inserts when not known yet, so it includes them.
        const rowsNow = known === undefined ? (this.countRows.get(listenerId) as { n: number }).n : known + count;
        const over = rowsNow - keepPerListener;
        if (over > 0) this.trimOldest.run(listenerId, listenerId, over);
        this.counts.set(listenerId, Math.min(rowsNow, keepPerListener));
      }
    });
    return this.forgettingCountsOnFailure(written);
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
    return this.forgettingCountsOnFailure(
      this.batch.run(() => {
        this.counts.set(listenerId, 0);
        return this.deleteAll.run(listenerId).changes;
      }),
    );
  }

  /** A write that failed was rolled back: the counts it moved are recounted on next use. */
  private forgettingCountsOnFailure<T>(write: Promise<T>): Promise<T> {
    return write.catch((error: unknown) => {
      this.counts.clear();
      throw error;
    });
  }
}
