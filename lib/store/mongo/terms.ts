/**
 * Flow lease terms on MongoDB (collection `flow_terms`). Each term is its own
 * document `<flow>:<term>`: taking a free or expired lease inserts the next term
 * (unique `_id`: one instance wins), renewing and moving the cursor update the
 * holder's own term, which no one else writes. The newest term is the truth;
 * a new term starts from the cursor of the one before.
 */
import type { FlowCursor } from '../store';
import type { Models, TermRow } from './models';
import { insertUnlessTaken } from './errors';

export function termKey(flowId: string, term: number): string {
  return `${flowId}:${String(term).padStart(10, '0')}`;
}

export class Terms {
  constructor(private readonly models: Models) {}

  async newest(flowId: string): Promise<TermRow | null> {
    return this.models.terms.findOne({ flowId }).sort({ term: -1 }).lean<TermRow>();
  }

  /** The first term of a new flow: nobody holds it, its cursor at `startSeq`. */
  async create(flowId: string, startSeq: number): Promise<void> {
    const row: TermRow = { _id: termKey(flowId, 0), flowId, term: 0, owner: null, until: null, cursorSeq: startSeq, cursorPage: 0, startSeq };
    await this.models.terms.collection.insertOne(row as any);
  }

  async acquire(flowId: string, owner: string, now: string, until: string): Promise<number | null> {
    const current = await this.newest(flowId);
    if (!current) return null;
    if (current.owner === owner) {
      await this.models.terms.updateOne({ _id: current._id }, { $set: { until } });
      return current.term;
    }
    if (current.owner !== null && current.until !== null && current.until > now) return null;
    const term = current.term + 1;
    const next: TermRow = { ...current, _id: termKey(flowId, term), term, owner, until };
    return (await insertUnlessTaken(() => this.models.terms.collection.insertOne(next as any))) ? term : null;
  }

  async release(flowId: string, owner: string): Promise<void> {
    const current = await this.newest(flowId);
    if (current?.owner === owner) await this.models.terms.updateOne({ _id: current._id }, { $set: { owner: null, until: null } });
  }

  async advance(flowId: string, term: number, from: FlowCursor, to: FlowCursor): Promise<boolean> {
    const current = await this.newest(flowId);
    if (!current || current.term !== term || current.cursorSeq !== from.seq || current.cursorPage !== from.page) return false;
    const result = await this.models.terms.updateOne({ _id: current._id }, { $set: { cursorSeq: to.seq, cursorPage: to.page } });
    return result.matchedCount > 0;
  }

  /** Keeps the newest term of each of these flows and deletes the older ones. */
  async dropOld(flowId: string): Promise<void> {
    const current = await this.newest(flowId);
    if (current && current.term > 0) await this.models.terms.deleteMany({ flowId, term: { $lt: current.term } });
  }

  async deleteFlow(flowId: string): Promise<void> {
    await this.models.terms.deleteMany({ flowId });
  }
}
