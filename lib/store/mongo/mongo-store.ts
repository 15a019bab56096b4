/**
 * The MongoDB store, through mongoose (SPEC §17): several hookport instances may
 * share one database. Built only on what is atomic both on MongoDB and on the
 * FerretDB test server: single-document writes, unique-key inserts and deletes
 * judged by their count; no transactions, no compare-and-set through update
 * filters, no change streams (workers poll), no TTL index (sweepers delete).
 * Writes are acknowledged by a majority and journaled before a promise resolves.
 */
import mongoose, { type Connection } from 'mongoose';
import type { AppendResult, DedupClaim, FlowCursor, JobDoc, NewJob, Sample, Store, StoredResponse } from '../store';
import { defineModels, ensureIndexes, type DedupRow, type JobRow, type Models } from './models';
import { ApiKeyCollection, ConnectionCollection, FlowCollection, ImportCollection, ListenerCollection } from './resource-collections';
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
