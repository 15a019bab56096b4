/**
 * A resource collection over one SQLite table with `id`, `created_at` and a JSON
 * `doc`. Extra columns (lookups, counters) are filled by `columns` on write.
 */
import type { Collection, ListOptions, ListPage, ResourceDoc } from '../store';
import { DuplicateKeyError, StaleWriteError } from '../store';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../cursor';
import type { Database, Statement } from './driver';
import type { WriteBatch } from './write-batch';

export interface CollectionOptions<T> {
  table: string;
  /** Extra columns to write besides id, created_at and doc, with their values. */
  columns?: (doc: T) => Record<string, unknown>;
  /** A WHERE clause fragment applied to `list` (e.g. hiding deleted rows). */
  listFilter?: string;
  /** What the stored JSON leaves out and the row adds back (e.g. columns-only fields). */
  fromRow?: (doc: T, row: Record<string, unknown>) => T;
}

interface Row {
  id: string;
  created_at: string;
  doc: string;
  [column: string]: unknown;
}

export class SqliteCollection<T extends ResourceDoc> implements Collection<T> {
  private readonly getStatement: Statement;
  private readonly listFirst: Statement;
  private readonly listAfter: Statement;
  private readonly deleteStatement: Statement;

  constructor(
    protected readonly db: Database,
    protected readonly batch: WriteBatch,
    protected readonly options: CollectionOptions<T>,
  ) {
    const { table } = options;
    const filter = options.listFilter ? ` AND ${options.listFilter}` : '';
    this.getStatement = db.prepare(`SELECT * FROM ${table} WHERE id = ?`);
    this.listFirst = db.prepare(`SELECT * FROM ${table} WHERE 1 = 1${filter} ORDER BY created_at, id LIMIT ?`);
    this.listAfter = db.prepare(
      `SELECT * FROM ${table} WHERE (created_at > ? OR (created_at = ? AND id > ?))${filter} ORDER BY created_at, id LIMIT ?`,
    );
    this.deleteStatement = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  }

  protected toDoc(row: Row): T {
    const doc = JSON.parse(row.doc) as T;
    return this.options.fromRow ? this.options.fromRow(doc, row) : doc;
  }

  protected serialize(doc: T): string {
    return JSON.stringify(doc);
  }

  insert(doc: T): Promise<T> {
    const extra = this.options.columns?.(doc) ?? {};
    const names = ['id', 'created_at', 'doc', ...Object.keys(extra)];
    const statement = this.db.prepare(
      `INSERT INTO ${this.options.table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    );
    return this.batch.run(() => {
      try {
        statement.run(doc.id, doc.createdAt, this.serialize(doc), ...Object.values(extra));
      } catch (error) {
        throw translateConstraint(this.options.table, error);
      }
      return doc;
    });
  }

  async get(id: string): Promise<T | null> {
    const row = this.getStatement.get(id) as Row | undefined;
    return row ? this.toDoc(row) : null;
  }

  async list(options: ListOptions): Promise<ListPage<T>> {
    let rows: Row[];
    if (options.after) {
      const position = decodeCursor(options.after);
      if (!position) throw new InvalidCursorError();
      rows = this.listAfter.all(position.createdAt, position.createdAt, position.id, options.limit + 1) as Row[];
    } else {
      rows = this.listFirst.all(options.limit + 1) as Row[];
    }
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit).map((row) => this.toDoc(row));
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor(last) : null };
  }

  replace(doc: T, expectedUpdatedAt?: string): Promise<T | null> {
    return this.modify(doc.id, (current) => {
      if (expectedUpdatedAt !== undefined && current.updatedAt !== expectedUpdatedAt) {
        throw new StaleWriteError(`${this.options.table} ${doc.id} changed since it was read`);
      }
      return doc;
    });
  }

  /**
   * Reads the document and writes what `change` makes of it, in one write of the
   * batch; resolves null when the id does not exist. `change` may throw to refuse.
   */
  protected modify(id: string, change: (current: T) => T): Promise<T | null> {
    return this.batch.run(() => {
      const row = this.getStatement.get(id) as Row | undefined;
      if (!row) return null;
      const next = change(this.toDoc(row));
      const extra = this.options.columns?.(next) ?? {};
      const sets = ['doc = ?', ...Object.keys(extra).map((name) => `${name} = ?`)].join(', ');
      try {
        this.db.prepare(`UPDATE ${this.options.table} SET ${sets} WHERE id = ?`).run(this.serialize(next), ...Object.values(extra), id);
      } catch (error) {
        throw translateConstraint(this.options.table, error);
      }
      return next;
    });
  }

  delete(id: string): Promise<boolean> {
    return this.batch.run(() => this.deleteStatement.run(id).changes > 0);
  }
}

/** A unique-index violation becomes DuplicateKeyError; anything else stays as it is. */
function translateConstraint(table: string, error: unknown): unknown {
  if (String((error as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) return new DuplicateKeyError(`${table}: ${(error as Error).message}`);
  return error;
}
