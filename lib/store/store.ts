/**
 * The store port: everything hookport keeps, behind one narrow interface with two
 * adapters (SQLite embedded, MongoDB). Nothing outside lib/store/ imports a
 * database driver. `test/store/contract.ts` runs the same suite against every adapter.
 *
 * Design rule for the MongoDB adapter: whatever must change together lives in one
 * record (a flow's config and its queue cursor; a listener's sequence counter),
 * so single-document atomic operations suffice and nothing relies on
 * multi-collection transactions for correctness.
 *
 * Secrets never reach the store in clear text: the services seal them first.
 *
 * Errors: adapters translate driver errors into the classes below. Any other
 * rejection means the store is unavailable (the caller answers 503).
 */

export type Role = 'admin' | 'integrator' | 'support';

export interface ResourceDoc {
  id: string;
  /** ISO-8601 with milliseconds. */
  createdAt: string;
  updatedAt: string;
}

export interface ApiKeyDoc extends ResourceDoc {
  name: string;
  role: Role;
  /** sha256 hex of the whole key; the key itself is never stored. */
  keyHash: string;
  /** The first characters of the key, to tell keys apart in lists. */
  keyPrefix: string;
}

export interface ListenerDoc extends ResourceDoc {
  /** Everything the API accepts for a listener (name included), secrets sealed. */
  settings: Record<string, unknown>;
  /** Set when deleted; a deleted listener answers 410. */
  deletedAt: string | null;
  /** End of the current debug session, if any (ISO-8601). */
  debugUntil: string | null;
}

export interface ImportDoc extends ResourceDoc {
  /** Everything the API accepts for an import, private header values sealed. */
  settings: Record<string, unknown>;
}

export interface FlowDoc extends ResourceDoc {
  name: string;
  listenerId: string;
  imports: string[];
  enabled: boolean;
  maxQueuedJobs: number;
}

/** Where a flow stands in its listener's job sequence. */
export interface FlowCursor {
  /** Every job with seq <= this is done for the flow. */
  seq: number;
  /** Pages of job seq+1 already done (0 = none). */
  page: number;
}

export interface ListOptions {
  limit: number;
  /** The `nextCursor` of the previous page. */
  after?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One page of records, as accepted. `recordsJson` is the JSON array text, stored as is. */
export interface StoredPage {
  recordsJson: string;
  count: number;
  traceKeys: string[];
  dataUris?: string[];
}

export interface NewJob {
  id: string;
  listenerId: string;
  requestId: string;
  receivedAt: string;
  recordCount: number;
  pages: StoredPage[];
  /** Request facts the flows may need (method, content type, query, selected headers). */
  meta: Record<string, unknown>;
}

export interface JobDoc extends NewJob {
  /** Position in the listener's sequence, from 1, dense per listener. */
  seq: number;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DedupClaim {
  key: string;
  /** ISO-8601: the claim is ignored after this. */
  expiresAt: string;
  /** What the original request was answered; a duplicate gets the same. */
  response: StoredResponse;
}

export type AppendResult =
  | { status: 'accepted'; seq: number }
  | { status: 'duplicate'; response: StoredResponse };

export interface Sample {
  body: unknown;
  headers: Record<string, string | string[]>;
  receivedAt: string;
  contentType: string | null;
}

/**
 * One captured request of a debug session (SPEC §13), already redacted: the store
 * keeps `data` as given and never looks inside it.
 */
export interface DebugLogEntry {
  /** 32 characters [a-z0-9] that sort in capture order: a later entry has a greater id. */
  id: string;
  listenerId: string;
  /** The session that captured it: the `debugUntil` the session was started with. */
  session: string;
  /** ISO-8601. */
  capturedAt: string;
  /** ISO-8601: `purgeExpired` removes the entry from then on. */
  expiresAt: string;
  /** The redacted capture (see lib/debug/debug-entry.ts for its fields). */
  data: Record<string, unknown>;
}

export interface DebugLogListOptions {
  limit: number;
  /** Only entries whose id is lower (captured earlier): the `nextCursor` of the previous page, or any entry id. */
  before?: string | undefined;
}

/** A flow's queue is full (SPEC §11); nothing was written. */
export class QueueFullError extends Error {
  constructor(readonly flowId: string | null, readonly depth: number) {
    super(flowId ? `flow ${flowId} has ${depth} jobs queued` : `${depth} jobs are waiting for a flow`);
    this.name = 'QueueFullError';
  }
}

/** An insert collided with an existing id or unique key. */
export class DuplicateKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DuplicateKeyError';
  }
}

/** A conditional update found the record changed since it was read. */
export class StaleWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleWriteError';
  }
}

/** CRUD over one kind of resource, ordered by creation for listing. */
export interface Collection<T extends ResourceDoc> {
  /** @throws DuplicateKeyError when the id exists. */
  insert(doc: T): Promise<T>;
  get(id: string): Promise<T | null>;
  /** Oldest first; `nextCursor` is null on the last page. */
  list(options: ListOptions): Promise<Page<T>>;
  /**
   * Replaces the document. With `expectedUpdatedAt`, only if unchanged since read.
   * Returns null when the id does not exist.
   * @throws StaleWriteError when `expectedUpdatedAt` does not match.
   */
  replace(doc: T, expectedUpdatedAt?: string): Promise<T | null>;
  /** Returns false when the id did not exist. */
  delete(id: string): Promise<boolean>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';

  /** Resolves when the store answers; rejects otherwise (/readyz). */
  ping(): Promise<void>;
  /** Commits pending writes and releases the database. */
  close(): Promise<void>;

  readonly apiKeys: Collection<ApiKeyDoc> & {
    findByHash(keyHash: string): Promise<ApiKeyDoc | null>;
    count(): Promise<number>;
  };

  /** `list` leaves out deleted listeners; `get` returns them (with deletedAt). */
  readonly listeners: Collection<ListenerDoc> & {
    /** Every listener, deleted ones included, for warming the in-memory registry. */
    all(): Promise<ListenerDoc[]>;
    /** Marks deleted (kept so the URL answers 410). Returns false when unknown. */
    markDeleted(id: string, at: string): Promise<boolean>;
    setDebugUntil(id: string, until: string | null): Promise<boolean>;
  };

  readonly imports: Collection<ImportDoc>;

  /**
   * `insert` places the new flow's cursor: the first flow of a listener takes every
   * job kept so far; later ones start after the newest job. `replace` never moves
   * the cursor.
   */
  readonly flows: Collection<FlowDoc> & {
    byListener(listenerId: string): Promise<FlowDoc[]>;
    byImport(importId: string): Promise<FlowDoc[]>;
  };

  /**
   * Writes a job once and makes it pending for every flow of its listener, all or
   * nothing, committed before the promise resolves. With `dedup`, a live claim on
   * the same key makes this a duplicate (nothing written, the original response
   * returned).
   * @throws QueueFullError when a flow (or, with no flow, the listener) is at its limit.
   */
  appendJob(job: NewJob, options?: { dedup?: DedupClaim }): Promise<AppendResult>;

  /** The live dedup claim for a key, or null. */
  findDedup(listenerId: string, key: string, now: string): Promise<StoredResponse | null>;

  getJob(id: string): Promise<JobDoc | null>;

  /** Jobs of a listener with seq > afterSeq, in order. */
  readJobs(listenerId: string, afterSeq: number, limit: number): Promise<JobDoc[]>;

  /** The newest seq of a listener (0 when none). */
  lastSeq(listenerId: string): Promise<number>;

  getFlowCursor(flowId: string): Promise<FlowCursor | null>;

  /**
   * Moves a flow's cursor from `from` to `to` only if it is still at `from`.
   * Returns false when it has moved (another worker, or the flow is gone).
   */
  advanceFlowCursor(flowId: string, from: FlowCursor, to: FlowCursor): Promise<boolean>;

  /** Jobs waiting for a flow: its listener's newest seq minus its cursor. */
  queueDepth(flowId: string): Promise<number>;

  /** The listener's sample (SPEC §10), or null. */
  getSample(listenerId: string): Promise<Sample | null>;
  /** Saving a sample is not part of any 2xx guarantee; adapters may coalesce. */
  saveSample(listenerId: string, sample: Sample): Promise<void>;

  /**
   * Debug log entries (SPEC §13). Entries expire by `purgeExpired`, run by a
   * background task: no adapter relies on a database TTL feature.
   */
  readonly debugLogs: {
    /** Writes the entries together (one transaction on SQLite). @throws DuplicateKeyError on a repeated id (nothing written). */
    append(entries: readonly DebugLogEntry[]): Promise<void>;
    /** A listener's entries, newest (greatest id) first; `nextCursor` is the id of the last item, null on the last page. */
    list(listenerId: string, options: DebugLogListOptions): Promise<Page<DebugLogEntry>>;
    /** How many entries of this session are kept (the per-session cap survives a restart). */
    countSession(listenerId: string, session: string): Promise<number>;
    /** Deletes every entry whose `expiresAt` <= `now` (ISO-8601); resolves with how many went. */
    purgeExpired(now: string): Promise<number>;
  };
}
