/**
 * What appends check against on MongoDB: each flow's limit and cursor, and for a
 * listener with no flow, the floor its first flow will start from. Read at most
 * once per LIMITS_TTL_MS per listener (and again after a flow change made here):
 * the queue limit is a bound on a backlog, so a check against state a second old
 * is as good as a fresh one, and appends avoid a read of every flow each.
 */
import type { Models, ResourceRow } from './models';
import type { Terms } from './terms';

const LIMITS_TTL_MS = 1000;

export interface QueueLimits {
  flows: Array<{ id: string; maxQueued: number; cursorSeq: number }>;
  floorSeq: number;
  readAt: number;
}

export class Queues {
  private readonly cache = new Map<string, QueueLimits>();

  constructor(private readonly models: Models, private readonly terms: Terms) {}

  async limits(listenerId: string): Promise<QueueLimits> {
    const cached = this.cache.get(listenerId);
    if (cached && Date.now() - cached.readAt < LIMITS_TTL_MS) return cached;
    const rows = await this.models.flows.find({ listenerId }).lean<ResourceRow[]>();
    const flows = await Promise.all(
      rows.map(async (row) => {
        const term = await this.terms.newest(row._id);
        return { id: row._id, maxQueued: (JSON.parse(row.json) as { maxQueuedJobs: number }).maxQueuedJobs, cursorSeq: term?.cursorSeq ?? 0 };
      }),
    );
    const limits = { flows, floorSeq: await this.floor(listenerId), readAt: Date.now() };
    this.cache.set(listenerId, limits);
    return limits;
  }

  forget(listenerId: string): void {
    this.cache.delete(listenerId);
  }

  async floor(listenerId: string): Promise<number> {
    const row = await this.models.floors.findById(listenerId).lean<{ seq: number }>();
    return row?.seq ?? 0;
  }

  async setFloor(listenerId: string, seq: number): Promise<void> {
    await this.models.floors.updateOne({ _id: listenerId }, { $set: { seq } }, { upsert: true });
    this.forget(listenerId);
  }
}
