/**
 * Debug log entries on MongoDB (collection `debug_logs`). Expiry is the
 * sweeper's (`purgeExpired`), never a TTL index. An append with a repeated id
 * removes what it wrote before rejecting, so it is all or nothing to readers
 * after it settles.
 */
import type { DebugLogEntry, DebugLogListOptions, ListPage } from '../store';
import { DuplicateKeyError } from '../store';
import type { DebugRow, Models } from './models';
import { failedIndex, isDuplicateKey } from './errors';

const PURGE_CHUNK = 1000;

export class MongoDebugLogs {
  constructor(private readonly models: Models) {}

  async append(entries: readonly DebugLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows: DebugRow[] = entries.map((entry) => ({
      _id: entry.id, listenerId: entry.listenerId, session: entry.session, expiresAt: entry.expiresAt, json: JSON.stringify(entry),
    }));
    try {
      await this.models.debugLogs.collection.insertMany(rows as any[], { ordered: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const written = rows.slice(0, failedIndex(error) ?? 0).map((row) => row._id);
      if (written.length > 0) await this.models.debugLogs.deleteMany({ _id: { $in: written } });
      throw new DuplicateKeyError(`debug log entry ${rows[written.length]?._id ?? ''} exists`);
    }
  }

  async list(listenerId: string, options: DebugLogListOptions): Promise<ListPage<DebugLogEntry>> {
    const filter: Record<string, unknown> = { listenerId };
    if (options.before) filter._id = { $lt: options.before };
    const rows = await this.models.debugLogs.find(filter).sort({ _id: -1 }).limit(options.limit + 1).lean<DebugRow[]>();
    const more = rows.length > options.limit;
    const items = rows.slice(0, options.limit).map((row) => JSON.parse(row.json) as DebugLogEntry);
    const last = items[items.length - 1];
    return { items, nextCursor: more && last ? last.id : null };
  }

  countSession(listenerId: string, session: string): Promise<number> {
    return this.models.debugLogs.countDocuments({ listenerId, session });
  }

  async purgeExpired(now: string): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = (await this.models.debugLogs.find({ expiresAt: { $lte: now } }, { _id: 1 }).limit(PURGE_CHUNK).lean<DebugRow[]>()).map((r) => r._id);
      if (ids.length === 0) return total;
      total += (await this.models.debugLogs.deleteMany({ _id: { $in: ids } })).deletedCount ?? 0;
      if (ids.length < PURGE_CHUNK) return total;
    }
  }
}
