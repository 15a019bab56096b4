/**
 * The five resource collections of the MongoDB store: the generic CRUD of
 * collection.ts plus each kind's own lookups. Flows also create and delete their
 * lease terms (the cursor lives in the newest term, terms.ts).
 */
import type { ApiKeyDoc, ConnectionDoc, FlowDoc, ImportDoc, ListenerDoc } from '../store';
import { claimVersion } from './claims';
import { translated } from './errors';
import { MongoCollection } from './collection';
import type { Models, ResourceRow } from './models';
import type { SequenceHints } from './sequence';
import type { Terms } from './terms';
import type { Queues } from './queues';

export class ApiKeyCollection extends MongoCollection<ApiKeyDoc> {
  async findByHash(keyHash: string): Promise<ApiKeyDoc | null> {
    const row = await this.model.findOne({ keyHash }).lean<ResourceRow>();
    return row ? this.toDoc(row) : null;
  }

  count(): Promise<number> {
    return this.model.countDocuments();
  }
}

export class ListenerCollection extends MongoCollection<ListenerDoc> {
  async all(): Promise<ListenerDoc[]> {
    return (await this.model.find().sort({ createdAt: 1, _id: 1 }).lean<ResourceRow[]>()).map((row) => this.toDoc(row));
  }

  async markDeleted(id: string, at: string): Promise<boolean> {
    return (await this.modify(id, (current) => ({ ...current, deletedAt: at, updatedAt: at }))) !== null;
  }

  async setDebugUntil(id: string, until: string | null): Promise<boolean> {
    return (await this.modify(id, (current) => ({ ...current, debugUntil: until }))) !== null;
  }

  async setAttachment(id: string, attachment: Record<string, unknown> | null): Promise<boolean> {
    return (await this.modify(id, (current) => ({ ...current, attachment }))) !== null;
  }
}

export class ImportCollection extends MongoCollection<ImportDoc> {
  async byConnection(connectionId: string): Promise<ImportDoc[]> {
    return (await this.model.find({ connectionId }).sort({ createdAt: 1, _id: 1 }).lean<ResourceRow[]>()).map((row) => this.toDoc(row));
  }
}

export class ConnectionCollection extends MongoCollection<ConnectionDoc> {
  async byUid(uid: string): Promise<ConnectionDoc | null> {
    const row = await this.model.findOne({ uid }).lean<ResourceRow>();
    return row ? this.toDoc(row) : null;
  }

  /**
   * The row's `nextSlotAt` moves under a version claim (claims.ts): of the writers
   * that read the same value, exactly one claims it and writes; the others read
   * again. An edit of the connection replaces the row and drops the field: the
   * spacing then starts afresh, and the claim is keyed by the edit's updatedAt.
   */
  async reserveSlot(id: string, now: number, intervalMs: number): Promise<number | null> {
    for (;;) {
      const row = (await this.model.collection.findOne({ _id: id } as any, { projection: { nextSlotAt: 1, json: 1 } })) as
        | { nextSlotAt?: number; json: string }
        | null;
      if (!row) return null;
      const current = row.nextSlotAt;
      const version = current === undefined ? `none:${(JSON.parse(row.json) as { updatedAt: string }).updatedAt}` : current;
      // Lost: the winner writes within moments; read again after a breath instead of spinning.
      if (!(await claimVersion(this.models, 'connection-slot', id, version))) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        continue;
      }
      const slot = Math.max(now, current ?? 0);
      await translated('connections', () => this.model.collection.updateOne({ _id: id } as any, { $set: { nextSlotAt: slot + intervalMs } }));
      return slot;
    }
  }
}

export class FlowCollection extends MongoCollection<FlowDoc> {
  constructor(models: Models, private readonly terms: Terms, private readonly queues: Queues, private readonly hints: SequenceHints) {
    super(models.flows, models, { name: 'flows', fields: (doc) => ({ listenerId: doc.listenerId, importIds: doc.imports }) });
  }

  async byListener(listenerId: string): Promise<FlowDoc[]> {
    return (await this.model.find({ listenerId }).sort({ createdAt: 1, _id: 1 }).lean<ResourceRow[]>()).map((row) => this.toDoc(row));
  }

  async byImport(importId: string): Promise<FlowDoc[]> {
    return (await this.model.find({ importIds: importId }).sort({ createdAt: 1, _id: 1 }).lean<ResourceRow[]>()).map((row) => this.toDoc(row));
  }

  /** The first term (with the cursor) goes first: a flow is never readable without one. */
  override async insert(doc: FlowDoc): Promise<FlowDoc> {
    const siblings = await this.model.countDocuments({ listenerId: doc.listenerId });
    const start = siblings === 0 ? await this.queues.floor(doc.listenerId) : await this.hints.newest(doc.listenerId);
    await this.terms.create(doc.id, start);
    await super.insert(doc);
    this.queues.forget(doc.listenerId);
    return doc;
  }

  /** With no flow left, the jobs the last one had not finished stay for the next first flow. */
  override async delete(id: string): Promise<boolean> {
    const flow = await this.get(id);
    if (!flow) return false;
    const term = await this.terms.newest(id);
    const deleted = await super.delete(id);
    if (!deleted) return false;
    if ((await this.model.countDocuments({ listenerId: flow.listenerId })) === 0) await this.queues.setFloor(flow.listenerId, term?.cursorSeq ?? 0);
    await this.terms.deleteFlow(id);
    this.queues.forget(flow.listenerId);
    return true;
  }
}
