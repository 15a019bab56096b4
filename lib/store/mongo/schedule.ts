/**
 * The schedule section of the store on MongoDB: a flow's retry wait lives on its
 * newest lease term, beside the cursor, so only the term's holder writes it and a
 * takeover carries it over; each replay is its own document, ordered within its
 * flow by request time, then by when this instance enqueued it (`order`). Only the
 * flow's lease holder moves or removes a replay.
 */
import type { ReplayDoc, RetryWait, ScheduleStore } from '../store';
import { DuplicateKeyError } from '../store';
import type { JobRow, Models, ReplayRow, ResourceRow } from './models';
import { failedIndex, isDuplicateKey } from './errors';
import type { Terms } from './terms';
import { jobKey } from './sequence';

let enqueued = 0;
/** Orders this instance's enqueues with the same request time in the order they were made. */
function localOrder(): string {
  enqueued = (enqueued + 1) % 1e9;
  return `${String(Date.now()).padStart(15, '0')}.${String(enqueued).padStart(9, '0')}`;
}

export class MongoSchedule implements ScheduleStore {
  constructor(private readonly models: Models, private readonly terms: Terms) {}

  async getRetryWait(flowId: string): Promise<RetryWait | null> {
    const term = await this.terms.newest(flowId);
    return term?.retryWait ? (JSON.parse(term.retryWait) as RetryWait) : null;
  }

  async setRetryWait(flowId: string, wait: RetryWait | null): Promise<void> {
    const term = await this.terms.newest(flowId);
    if (term) await this.models.terms.updateOne({ _id: term._id }, { $set: { retryWait: wait ? JSON.stringify(wait) : null } });
  }

  async oldestWaiting(flowId: string): Promise<string | null> {
    const flow = await this.models.flows.findById(flowId, { listenerId: 1 }).lean<ResourceRow>();
    const term = await this.terms.newest(flowId);
    if (!flow?.listenerId || !term) return null;
    const next = await this.models.jobs.findById(jobKey(flow.listenerId, term.cursorSeq + 1), { receivedAt: 1 }).lean<JobRow>();
    return next?.receivedAt ?? null;
  }

  async enqueueReplays(replays: readonly ReplayDoc[]): Promise<void> {
    if (replays.length === 0) return;
    const rows: ReplayRow[] = replays.map((replay, index) => ({
      _id: replay.id, flowId: replay.flowId, jobId: replay.jobId, page: replay.page, json: JSON.stringify(replay),
      order: `${replay.requestedAt}|${localOrder()}|${String(index).padStart(6, '0')}`,
    }));
    try {
      await this.models.replays.collection.insertMany(rows as any[], { ordered: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const written = rows.slice(0, failedIndex(error) ?? 0).map((row) => row._id);
      if (written.length > 0) await this.models.replays.deleteMany({ _id: { $in: written } });
      throw new DuplicateKeyError(`replays: ${rows[written.length]?._id ?? ''} exists`);
    }
  }

  async nextReplay(flowId: string): Promise<ReplayDoc | null> {
    const row = await this.models.replays.findOne({ flowId }).sort({ order: 1 }).lean<ReplayRow>();
    return row ? { ...(JSON.parse(row.json) as ReplayDoc), page: row.page } : null;
  }

  countReplays(flowId: string): Promise<number> {
    return this.models.replays.countDocuments({ flowId });
  }

  async advanceReplay(id: string, from: number, to: number | null): Promise<boolean> {
    const row = await this.models.replays.findById(id).lean<ReplayRow>();
    if (!row || row.page !== from) return false;
    if (to === null) return (await this.models.replays.deleteOne({ _id: id })).deletedCount > 0;
    return (await this.models.replays.updateOne({ _id: id }, { $set: { page: to } })).matchedCount > 0;
  }
}
