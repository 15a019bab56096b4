/**
 * The MongoDB adapter's mongoose models: one per collection, documents kept as
 * JSON text beside the few fields that queries and unique keys need (as the
 * SQLite tables do). JSON text round-trips exactly what the services gave
 * (keys with dots or dollars included) and keeps the adapter off features the
 * test server lacks.
 *
 * Only unique keys arbitrate between instances: `_id` everywhere, `keyHash` of
 * API keys, and a job's `_id` `<listener>:<seq>` (see jobs.ts). No TTL index is
 * relied on: expired documents are deleted by the sweepers.
 */
import mongoose, { type Connection, type Model } from 'mongoose';

const { Schema } = mongoose;
const options = { versionKey: false, strict: false, autoIndex: false, autoCreate: false } as const;

/** A resource (API key, listener, import, flow): its document as JSON plus lookup fields. */
export interface ResourceRow {
  _id: string;
  createdAt: string;
  json: string;
  keyHash?: string;
  deletedAt?: string | null;
  listenerId?: string;
  importIds?: string[];
  /** Imports: the connection they use. */
  connectionId?: string | null;
  /** Connections: set only when not null, so the sparse unique index skips the rest. */
  uid?: string;
}

/** One term of a flow's lease; the cursor belongs to the term and only its holder writes it. */
export interface TermRow {
  _id: string;
  flowId: string;
  term: number;
  owner: string | null;
  until: string | null;
  cursorSeq: number;
  cursorPage: number;
  startSeq: number;
  /** The flow's retry wait as JSON (written by the holder, like the cursor), or null. */
  retryWait?: string | null;
}

export interface ReplayRow {
  _id: string;
  flowId: string;
  jobId: string;
  /** Sort key within the flow: `requestedAt`, position in its request, id. */
  order: string;
  page: number;
  json: string;
}

export interface JobRow {
  /** `<listenerId>:<seq, 12 digits>`: inserting it claims the seq. */
  _id: string;
  jobId: string;
  listenerId: string;
  seq: number;
  receivedAt: string;
  /** The job without its pages. */
  json: string;
  /** The pages as JSON text. */
  pages: string;
}

export interface DedupRow {
  _id: string;
  listenerId: string;
  expiresAt: string;
  response: string;
  jobId: string;
  /** Wall-clock ms when claimed: a claim whose job never appeared is given up after a while. */
  claimedAt: number;
}

export interface ErrorRow {
  _id: string;
  flowId: string;
  jobId: string;
  status: string;
  position: string;
  retryRequestedAt: string | null;
  updatedAt: string;
  /** Bumped by each status change; the change claims `<id>:<version>` first. */
  version: number;
  json: string;
}

export interface DebugRow {
  _id: string;
  listenerId: string;
  session: string;
  expiresAt: string;
  json: string;
}

export interface RequestRow {
  _id: string;
  listenerId: string;
  receivedAt: string;
  outcome: string;
  json: string;
}

export interface Models {
  apiKeys: Model<ResourceRow>;
  listeners: Model<ResourceRow>;
  imports: Model<ResourceRow>;
  connections: Model<ResourceRow>;
  flows: Model<ResourceRow>;
  terms: Model<TermRow>;
  floors: Model<{ _id: string; seq: number }>;
  jobs: Model<JobRow>;
  dedup: Model<DedupRow>;
  samples: Model<{ _id: string; json: string }>;
  debugLogs: Model<DebugRow>;
  requests: Model<RequestRow>;
  errors: Model<ErrorRow>;
  replays: Model<ReplayRow>;
  /** `<what>:<id>:<version>`: who won the change of that version (see claims.ts). */
  claims: Model<{ _id: string; at: number }>;
}

const anyFields = (fields: Record<string, unknown>): mongoose.Schema<any> => new Schema<any>({ _id: String, ...fields }, options);

export function defineModels(connection: Connection): Models {
  const resource = () => anyFields({ createdAt: String, json: String });
  const models: Models = {
    apiKeys: connection.model<ResourceRow>('ApiKey', resource().index({ keyHash: 1 }, { unique: true }).index({ createdAt: 1, _id: 1 }), 'api_keys'),
    listeners: connection.model<ResourceRow>('Listener', resource().index({ createdAt: 1, _id: 1 }), 'listeners'),
    imports: connection.model<ResourceRow>('Import', resource().index({ connectionId: 1 }).index({ createdAt: 1, _id: 1 }), 'imports'),
    connections: connection.model<ResourceRow>(
      'Connection', resource().index({ uid: 1 }, { unique: true, sparse: true }).index({ createdAt: 1, _id: 1 }), 'connections',
    ),
    flows: connection.model<ResourceRow>('Flow', resource().index({ listenerId: 1 }).index({ createdAt: 1, _id: 1 }), 'flows'),
    terms: connection.model<TermRow>('FlowTerm', anyFields({ flowId: String, term: Number }).index({ flowId: 1, term: -1 }), 'flow_terms'),
    floors: connection.model<{ _id: string; seq: number }>('QueueFloor', anyFields({ seq: Number }), 'queue_floors'),
    jobs: connection.model<JobRow>(
      'Job',
      anyFields({ jobId: String, listenerId: String, seq: Number, receivedAt: String }).index({ jobId: 1 }).index({ listenerId: 1, seq: -1 }).index({ receivedAt: 1 }),
      'jobs',
    ),
    dedup: connection.model<DedupRow>('DedupClaim', anyFields({ expiresAt: String }).index({ expiresAt: 1 }), 'dedup'),
    samples: connection.model<{ _id: string; json: string }>('Sample', anyFields({ json: String }), 'samples'),
    debugLogs: connection.model<DebugRow>(
      'DebugLog',
      anyFields({ listenerId: String, session: String, expiresAt: String }).index({ listenerId: 1, _id: -1 }).index({ listenerId: 1, session: 1 }).index({ expiresAt: 1 }),
      'debug_logs',
    ),
    requests: connection.model<RequestRow>(
      'RequestRecord', anyFields({ listenerId: String, receivedAt: String, outcome: String }).index({ listenerId: 1, _id: -1 }), 'request_history',
    ),
    errors: connection.model<ErrorRow>(
      'DeliveryError',
      anyFields({ flowId: String, jobId: String, status: String, position: String }).index({ flowId: 1, position: 1, _id: 1 }).index({ flowId: 1, status: 1 }).index({ status: 1, updatedAt: 1 }),
      'delivery_errors',
    ),
    replays: connection.model<ReplayRow>('Replay', anyFields({ flowId: String, jobId: String, order: String }).index({ flowId: 1, order: 1 }).index({ jobId: 1 }), 'replays'),
    claims: connection.model<{ _id: string; at: number }>('WriteClaim', anyFields({ at: Number }).index({ at: 1 }), 'write_claims'),
  };
  return models;
}

/** Creates collections and indexes (idempotent; run at start by every instance). */
export async function ensureIndexes(models: Models): Promise<void> {
  for (const model of Object.values(models) as Array<Model<any>>) {
    await model.createCollection().catch((error: { code?: number }) => {
      if (error.code !== 48) throw error; // 48: the collection exists
    });
    await model.createIndexes();
  }
}
