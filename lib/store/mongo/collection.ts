/**
 * A resource collection (API keys, listeners, imports, flows) over one mongoose
 * model: `_id`, `createdAt`, the document as JSON, and lookup fields from
 * `fields`. Each write is one document; a checked replace claims the version it
 * replaces (claims.ts), so of two instances updating the same version one wins.
 */
import type { Model } from 'mongoose';
import type { Collection, ListOptions, ListPage, ResourceDoc } from '../store';
import { StaleWriteError } from '../store';
import { decodeCursor, encodeCursor, InvalidCursorError } from '../cursor';
import type { Models, ResourceRow } from './models';
import { translated } from './errors';
import { claimVersion } from './claims';

export interface MongoCollectionOptions<T> {
  name: string;
  fields?: (doc: T) => Partial<ResourceRow>;
  /** Applied to `list` (e.g. hiding deleted listeners). */
  listFilter?: Record<string, unknown>;
}

export class MongoCollection<T extends ResourceDoc> implements Collection<T> {
  constructor(
    protected readonly model: Model<ResourceRow>,
    protected readonly models: Models,
    protected readonly options: MongoCollectionOptions<T>,
  ) {}

  protected row(doc: T): ResourceRow {
    return { _id: doc.id, createdAt: doc.createdAt, json: JSON.stringify(doc), ...this.options.fields?.(doc) };
  }

  protected toDoc(row: { json: string }): T {
    return JSON.parse(row.json) as T;
  }

  async insert(doc: T): Promise<T> {
    await translated(this.options.name, () => this.model.collection.insertOne(this.row(doc) as any));
    return doc;
  }

  async get(id: string): Promise<T | null> {
    const row = await this.model.findById(id).lean<ResourceRow>();
    return row ? this.toDoc(row) : null;
  }

  async list(options: ListOptions): Promise<ListPage<T>> {
    const filter: Record<string, unknown> = { ...this.options.listFilter };
    if (options.after) {
      const position = decodeCursor(options.after);
      if (!position) throw new InvalidCursorError();
      filter.$or = [{ createdAt: { $gt: position.createdAt } }, { createdAt: position.createdAt, _id: { $gt: position.id } }];
    }
    const rows = await this.model.find(filter).sort({ createdAt: 1, _id: 1 }).limit(options.limit + 1).lean<ResourceRow[]>();
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit).map((row) => this.toDoc(row));
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? encodeCursor(last) : null };
  }

  async replace(doc: T, expectedUpdatedAt?: string): Promise<T | null> {
    const current = await this.get(doc.id);
    if (!current) return null;
    if (expectedUpdatedAt !== undefined) {
      if (current.updatedAt !== expectedUpdatedAt || !(await claimVersion(this.models, this.options.name, doc.id, expectedUpdatedAt))) {
        throw new StaleWriteError(`${this.options.name} ${doc.id} changed since it was read`);
      }
    }
    return (await this.write(doc)) ? doc : null;
  }

  /** Rewrites the whole document (last writer wins); false when it is gone. */
  protected async write(doc: T): Promise<boolean> {
    const result = await translated(this.options.name, () => this.model.collection.replaceOne({ _id: doc.id } as any, this.row(doc) as any));
    return result.matchedCount > 0;
  }

  /** Reads, changes and writes back (last writer wins); null when the id does not exist. */
  protected async modify(id: string, change: (current: T) => T): Promise<T | null> {
    const current = await this.get(id);
    if (!current) return null;
    const next = change(current);
    return (await this.write(next)) ? next : null;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: id });
    return result.deletedCount > 0;
  }
}
