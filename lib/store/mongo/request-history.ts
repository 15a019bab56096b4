/**
 * The request history on MongoDB (collection `request_history`). Ids sort in
 * arrival order, so newest first is `_id` descending. After an append, each
 * listener concerned is trimmed to its newest N: the N-th newest id is read and
 * everything older deleted. Records are not part of any 2xx guarantee, so a
 * trim racing another instance's append at worst keeps a few extra for a moment.
 */
import type { ListPage, RequestHistoryQuery, RequestHistoryStore, RequestRecord } from '../store';
import type { Models, RequestRow } from './models';
import { isDuplicateKey } from './errors';

export class MongoRequestHistory implements RequestHistoryStore {
  constructor(private readonly models: Models) {}

  async append(records: readonly RequestRecord[], keepPerListener: number): Promise<void> {
    if (records.length === 0) return;
    const rows: RequestRow[] = records.map((record) => ({
      _id: record.id, listenerId: record.listenerId, receivedAt: record.receivedAt, outcome: record.outcome, json: JSON.stringify(record),
    }));
    try {
      await this.models.requests.collection.insertMany(rows as any[], { ordered: false });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // a repeated id is a record already kept
    }
    for (const listenerId of new Set(records.map((record) => record.listenerId))) {
      const [oldestKept] = await this.models.requests.find({ listenerId }, { _id: 1 }).sort({ _id: -1 }).skip(keepPerListener - 1).limit(1).lean<RequestRow[]>();
      if (oldestKept) await this.models.requests.deleteMany({ listenerId, _id: { $lt: oldestKept._id } });
    }
  }

  async list(listenerId: string, query: RequestHistoryQuery): Promise<ListPage<RequestRecord>> {
    const filter: Record<string, unknown> = { listenerId };
    if (query.after !== undefined) filter._id = { $lt: query.after };
    if (query.outcomes && query.outcomes.length > 0) filter.outcome = { $in: [...query.outcomes] };
    if (query.since !== undefined || query.until !== undefined) {
      filter.receivedAt = { ...(query.since !== undefined ? { $gte: query.since } : {}), ...(query.until !== undefined ? { $lt: query.until } : {}) };
    }
    const rows = await this.models.requests.find(filter).sort({ _id: -1 }).limit(query.limit + 1).lean<RequestRow[]>();
    const items = rows.slice(0, query.limit).map((row) => JSON.parse(row.json) as RequestRecord);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > query.limit && last ? last.id : null };
  }

  async deleteListener(listenerId: string): Promise<number> {
    return (await this.models.requests.deleteMany({ listenerId })).deletedCount ?? 0;
  }
}
