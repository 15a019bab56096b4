/**
 * The MongoDB store, through mongoose (SPEC §17): several hookport instances may
 * share one database. Built only on what is atomic both on MongoDB and on the
 * FerretDB test server: single-document writes, unique-key inserts and deletes
 * judged by their count; no transactions, no compare-and-set through update
 * filters, no change streams (workers poll), no TTL index (sweepers delete).
 * Writes are acknowledged by a majority and journaled before a promise resolves.
 */
import mongoose, { type Connection } from 'mongoose';
import type {
  AppendResult, ApiKeyDoc, ConnectionDoc, DedupClaim, FlowCursor, FlowDoc, ImportDoc, JobDoc, ListenerDoc, NewJob, Sample, Store, StoredResponse,
} from '../store';
import { claimVersion } from './claims';
import { translated } from './errors';
import { MongoCollection } from './collection';
import { defineModels, ensureIndexes, type DedupRow, type JobRow, type Models, type ResourceRow } from './models';
import { SequenceHints, jobKey } from './sequence';
import { Terms } from './terms';
import { Queues } from './queues';
import { Appends, dedupKey } from './appends';
import { MongoDelivery } from './delivery';
import { MongoDebugLogs } from './debug-logs';
import { MongoRequestHistory } from './request-history';
import { MongoSchedule } from './schedule';

export interface MongoStoreOptions {
  uri: string;
  /** How many jobs a listener with no flow keeps for its first flow. */
  unattachedLimit?: number;
  /** How long to wait for a server before a call fails (ms). */
  serverSelectionTimeoutMs?: number;
}

/** Reads of one listener's jobs by `_id` (the seq is in it), this many at a time. */
const READ_AHEAD = 20;

class ApiKeyCollection extends MongoCollection<ApiKeyDoc> {
  async findByHash(keyHash: string): Promise<ApiKeyDoc | null> {
    const row = await this.model.findOne({ keyHash }).lean<ResourceRow>();
    return row ? this.toDoc(row) : null;
  }

  count(): Promise<number> {
    return this.model.countDocuments();
  }
}

class ListenerCollection extends MongoCollection<ListenerDoc> {
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

class ImportCollection extends MongoCollection<ImportDoc> {
  async byConnection(connectionId: string): Promise<ImportDoc[]> {
    return (await this.model.find({ connectionId }).sort({ createdAt: 1, _id: 1 }).lean<ResourceRow[]>()).map((row) => this.toDoc(row));
  }
}

class ConnectionCollection extends MongoCollection<ConnectionDoc> {
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

class FlowCollection extends MongoCollection<FlowDoc> {
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

export class MongoStore implements Store {
  readonly name = 'mongodb';
  readonly sharedByInstances = true;
  readonly apiKeys: ApiKeyCollection;
  readonly listeners: ListenerCollection;
  readonly imports: ImportCollection;
  readonly connections: ConnectionCollection;
  readonly schedule: MongoSchedule;
  readonly flows: FlowCollection;
  readonly delivery: MongoDelivery;
  readonly debugLogs: MongoDebugLogs;
  readonly requestHistory: MongoRequestHistory;

  private readonly hints: SequenceHints;
  private readonly terms: Terms;
  private readonly appends: Appends;
  private readonly pendingSamples = new Map<string, Sample>();
  private samplesWritten: Promise<void> | undefined;
  private sampleWrites: Promise<void> = Promise.resolve();

  private constructor(private readonly connection: Connection, private readonly models: Models, unattachedLimit: number) {
    this.hints = new SequenceHints(models);
    this.terms = new Terms(models);
    const queues = new Queues(models, this.terms);
    this.appends = new Appends(models, this.hints, queues, unattachedLimit);
    this.apiKeys = new ApiKeyCollection(models.apiKeys, models, { name: 'api_keys', fields: (doc) => ({ keyHash: doc.keyHash }) });
    this.listeners = new ListenerCollection(models.listeners, models, {
      name: 'listeners', fields: (doc) => ({ deletedAt: doc.deletedAt }), listFilter: { deletedAt: null },
    });
    this.imports = new ImportCollection(models.imports, models, {
      name: 'imports', fields: (doc) => ({ connectionId: (doc.settings.connectionId as string | null | undefined) ?? null }),
    });
    this.connections = new ConnectionCollection(models.connections, models, {
      name: 'connections', fields: (doc) => (doc.settings.uid ? { uid: doc.settings.uid } : {}),
    });
    this.schedule = new MongoSchedule(models, this.terms);
    this.flows = new FlowCollection(models, this.terms, queues, this.hints);
    this.delivery = new MongoDelivery(models, this.terms, queues, this.hints);
    this.debugLogs = new MongoDebugLogs(models);
    this.requestHistory = new MongoRequestHistory(models);
  }

  /** Connects, creates collections and indexes, and resolves when the server answers. */
  static async open(options: MongoStoreOptions): Promise<MongoStore> {
    const connection = mongoose.createConnection(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
      writeConcern: { w: 'majority', journal: true },
      autoIndex: false,
      autoCreate: false,
    });
    await connection.asPromise();
    const models = defineModels(connection);
    await ensureIndexes(models);
    return new MongoStore(connection, models, options.unattachedLimit ?? 10_000);
  }

  async ping(): Promise<void> {
    if (this.connection.readyState !== 1) throw new Error('the MongoDB connection is not open');
    await this.connection.db!.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.connection.close();
  }

  appendJob(job: NewJob, options: { dedup?: DedupClaim } = {}): Promise<AppendResult> {
    return this.appends.append(job, options.dedup);
  }

  /** A claim whose job is not (yet) stored answers nothing: its request was not acknowledged. */
  async findDedup(listenerId: string, key: string, now: string): Promise<StoredResponse | null> {
    const row = await this.models.dedup.findById(dedupKey(listenerId, key)).lean<DedupRow>();
    if (!row || row.expiresAt <= now) return null;
    if (!(await this.models.jobs.exists({ jobId: row.jobId }))) return null;
    return JSON.parse(row.response) as StoredResponse;
  }

  async updateDedupResponse(listenerId: string, key: string, response: StoredResponse): Promise<void> {
    await this.models.dedup.updateOne({ _id: dedupKey(listenerId, key) }, { $set: { response: JSON.stringify(response) } });
  }

  async purgeExpiredDedup(now: string, limit: number): Promise<number> {
    const ids = (await this.models.dedup.find({ expiresAt: { $lte: now } }, { _id: 1 }).limit(limit).lean<DedupRow[]>()).map((r) => r._id);
    if (ids.length === 0) return 0;
    return (await this.models.dedup.deleteMany({ _id: { $in: ids } })).deletedCount ?? 0;
  }

  async getJob(id: string): Promise<JobDoc | null> {
    const row = await this.models.jobs.findOne({ jobId: id }).lean<JobRow>();
    return row ? toJob(row) : null;
  }

  /**
   * By `_id`, READ_AHEAD at a time, stopping at the first seq not (yet) readable:
   * no gap is ever returned. Seqs below every cursor may have been purged: when
   * the first one is missing but newer jobs exist, reading starts at the oldest kept.
   */
  async readJobs(listenerId: string, afterSeq: number, limit: number): Promise<JobDoc[]> {
    let first = afterSeq + 1;
    if (!(await this.models.jobs.exists({ _id: jobKey(listenerId, first) }))) {
      if ((await this.hints.newest(listenerId)) <= afterSeq) return [];
      const oldest = await this.models.jobs.findOne({ listenerId, seq: { $gt: afterSeq } }, { seq: 1 }).sort({ seq: 1 }).lean<{ seq: number }>();
      if (!oldest) return [];
      first = oldest.seq;
    }
    const jobs: JobDoc[] = [];
    for (let from = first; jobs.length < limit; from += READ_AHEAD) {
      const count = Math.min(READ_AHEAD, limit - jobs.length);
      const ids = Array.from({ length: count }, (_, i) => jobKey(listenerId, from + i));
      const rows = await Promise.all(ids.map((id) => this.models.jobs.findById(id).lean<JobRow>()));
      for (const row of rows) {
        if (!row) return jobs;
        jobs.push(toJob(row));
      }
    }
    return jobs;
  }

  lastSeq(listenerId: string): Promise<number> {
    return this.hints.newest(listenerId);
  }

  async getFlowCursor(flowId: string): Promise<FlowCursor | null> {
    return (await this.delivery.getFlowState(flowId))?.cursor ?? null;
  }

  advanceFlowCursor(flowId: string, term: number, from: FlowCursor, to: FlowCursor): Promise<boolean> {
    return this.terms.advance(flowId, term, from, to);
  }

  async queueDepth(flowId: string): Promise<number> {
    const flow = await this.flows.get(flowId);
    const term = await this.terms.newest(flowId);
    if (!flow || !term) return 0;
    return (await this.hints.newest(flow.listenerId)) - term.cursorSeq;
  }

  async getSample(listenerId: string): Promise<Sample | null> {
    const pending = this.pendingSamples.get(listenerId);
    if (pending) return pending;
    await this.sampleWrites;
    const row = await this.models.samples.findById(listenerId).lean<{ json: string }>();
    return row ? (JSON.parse(row.json) as Sample) : null;
  }

  /**
   * Coalesced like SQLite's: the newest sample per listener of a turn is written
   * once, after the turn, and writes go one after another, so a later sample is
   * never overtaken by an earlier one.
   */
  saveSample(listenerId: string, sample: Sample): Promise<void> {
    this.pendingSamples.set(listenerId, sample);
    this.samplesWritten ??= this.sampleWrites.then(() => new Promise<void>((resolve) => setImmediate(resolve))).then(() => {
      const samples = [...this.pendingSamples];
      this.pendingSamples.clear();
      this.samplesWritten = undefined;
      const writing = Promise.all(
        samples.map(([id, s]) => this.models.samples.updateOne({ _id: id }, { $set: { json: JSON.stringify(s) } }, { upsert: true })),
      ).then(() => undefined);
      this.sampleWrites = writing.catch(() => undefined);
      return writing;
    });
    return this.samplesWritten;
  }

  /** Test support: removes every document of every collection (the contract suite's fresh store). */
  async clearAll(): Promise<void> {
    for (const model of Object.values(this.models)) await model.deleteMany({});
  }
}

function toJob(row: JobRow): JobDoc {
  const doc = JSON.parse(row.json) as Omit<JobDoc, 'pages' | 'seq'>;
  return { ...doc, seq: row.seq, pages: JSON.parse(row.pages) as JobDoc['pages'] };
}
