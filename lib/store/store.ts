/**
 * The store port: everything hookport keeps, behind one narrow interface with two
 * adapters (SQLite embedded, MongoDB). Nothing outside lib/store/ imports a
 * database driver or asks which adapter it has. `test/store/contract.ts` runs the
 * same suite against every adapter; `test/store/contract-writers.ts` runs two store
 * objects over one database, as two instances would.
 *
 * Several writers (MongoDB: N hookport instances on one database). The contract
 * below holds with no multi-document transaction and no compare-and-set through an
 * update filter (FerretDB, a MongoDB-compatible test server, applies updates without
 * rechecking the filter). What arbitrates between writers is only:
 *   - an insert against a unique key (exactly one writer wins), and
 *   - a delete judged by how many documents it removed.
 * A document that only one writer ever changes (a lease term's cursor, written by
 * the term's holder) is updated plainly. Each method's JSDoc states its promise as
 * "Atomic: …" (what all-or-nothing means) and "Order: …" (what a reader may see).
 *
 * Arrival order. A job's place in its listener's sequence is the seq its append
 * won: `appendJob` claims seq n+1 only after seq n is readable, so seqs are dense
 * and become readable in seq order; a cursor reading `seq > c` can never pass a job
 * that commits later. A request sent after another's 2xx therefore always gets a
 * greater seq, whichever instance each reached. Two requests that reach two
 * instances at the same moment are ordered by whichever append wins the contested
 * seq: neither sender could have seen the other's answer, so no order between them
 * was observable, and any order is arrival order.
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
  /** How lists show the key: the first 8 characters of a generated key (`hpk_…`), `****` + the last 4 of a chosen one. */
  keyPrefix: string;
  /** Where the key came from; `environment` and `bootstrap` keys are replaced when HOOKPORT_ADMIN_KEY changes. Absent on keys stored before it existed. */
  source?: ApiKeySource;
}

export type ApiKeySource = 'generated' | 'environment' | 'bootstrap';

export interface ListenerDoc extends ResourceDoc {
  /** Everything the API accepts for a listener (name included), secrets sealed. */
  settings: Record<string, unknown>;
  /** Set when deleted; a deleted listener answers 410. */
  deletedAt: string | null;
  /** End of the current debug session, if any (ISO-8601). */
  debugUntil: string | null;
  /** Where an attached webhook stands with its partner (issue 14); absent or null when never attached. */
  attachment?: Record<string, unknown> | null;
}

export interface ImportDoc extends ResourceDoc {
  /** Everything the API accepts for an import, private header values sealed. */
  settings: Record<string, unknown>;
}

/** A connection (issue 14): base URL, headers, shared rate limit, optional tenant `uid`. */
export interface ConnectionDoc extends ResourceDoc {
  /** Everything the API accepts for a connection, private header values sealed. `settings.uid` is unique when set. */
  settings: Record<string, unknown> & { uid?: string | null };
}

export interface FlowDoc extends ResourceDoc {
  name: string;
  listenerId: string;
  imports: string[];
  enabled: boolean;
  maxQueuedJobs: number;
  /** Where new errors are announced (SPEC §11 visible failures); null or absent for none. */
  alert?: FlowAlert | null;
  /** A retry policy for every import of the flow (lib/imports/retry-schedule.ts), in place of each import's; null or absent for theirs. */
  retry?: Record<string, unknown> | null;
  /** Pages in flight at once and what orders them (lib/flows/keyed-worker.ts); absent on flows stored before it existed: concurrency 1. */
  delivery?: FlowDelivery | null;
}

export interface FlowDelivery {
  /** Pages in flight at once; 1 is strict FIFO. */
  concurrency: number;
  /** A Handlebars template over a page's first record: pages with the same key go in order; null: no order when concurrency > 1. */
  orderingKey: string | null;
}

export interface FlowAlert {
  importId: string;
  /** At most one alert per flow this often; errors in between are counted into the next. */
  minIntervalSeconds: number;
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

/**
 * CRUD over one kind of resource, ordered by creation for listing. Every write is
 * one document: atomic for that document, last writer wins between writers
 * unless a method says otherwise.
 */
export interface Collection<T extends ResourceDoc> {
  /** Atomic: one document. Order: readable by every instance once resolved. @throws DuplicateKeyError when the id exists (unique key: one writer wins). */
  insert(doc: T): Promise<T>;
  /** Order: sees every write resolved before it was called. */
  get(id: string): Promise<T | null>;
  /** Oldest first; `nextCursor` is null on the last page. */
  list(options: ListOptions): Promise<Page<T>>;
  /**
   * Replaces the document. Atomic: one document. With `expectedUpdatedAt`, at most
   * one of several writers replacing the same version wins (the version is claimed
   * by a unique insert); the others get StaleWriteError. Without it, last writer wins.
   * Returns null when the id does not exist.
   * @throws StaleWriteError when `expectedUpdatedAt` does not match, or another writer won that version.
   */
  replace(doc: T, expectedUpdatedAt?: string): Promise<T | null>;
  /** Atomic: one document. Returns false when the id did not exist (of two deleting writers, one gets true). */
  delete(id: string): Promise<boolean>;
}

export interface Store {
  /** The adapter's name for logs and /readyz ("sqlite", "mongodb"); nothing may branch on it. */
  readonly name: string;
  /**
   * True when other processes may use the same data at once (MongoDB). The embedded
   * store is one process's, so its lease owner can be the data directory: a restarted
   * server takes its flows back at once instead of waiting for its old lease.
   */
  readonly sharedByInstances: boolean;

  /** Resolves when the store answers; rejects otherwise (/readyz). */
  ping(): Promise<void>;
  /** Commits pending writes and releases the database. */
  close(): Promise<void>;
  /** Writes a consistent copy of everything into the new file `file` while serving. Absent where the database has its own tools (mongodump). @throws when `file` exists. */
  backup?(file: string): Promise<void>;

  readonly apiKeys: Collection<ApiKeyDoc> & {
    findByHash(keyHash: string): Promise<ApiKeyDoc | null>;
    count(): Promise<number>;
  };

  /** `list` leaves out deleted listeners; `get` returns them (with deletedAt). */
  readonly listeners: Collection<ListenerDoc> & {
    /** Every listener, deleted ones included, for warming and refreshing the in-memory registry. */
    all(): Promise<ListenerDoc[]>;
    /** Marks deleted (kept so the URL answers 410). Atomic: one document. Returns false when unknown. */
    markDeleted(id: string, at: string): Promise<boolean>;
    /** Atomic: one document, last writer wins. Returns false when unknown. */
    setDebugUntil(id: string, until: string | null): Promise<boolean>;
    /** Records an attached webhook's state (one document write). Returns false when unknown. */
    setAttachment(id: string, attachment: Record<string, unknown> | null): Promise<boolean>;
  };

  /** `settings.connectionId` is indexed for `byConnection`. */
  readonly imports: Collection<ImportDoc> & {
    /** The imports whose `settings.connectionId` is this id, oldest first. */
    byConnection(connectionId: string): Promise<ImportDoc[]>;
  };

  /**
   * Connections. `insert` and `replace` throw DuplicateKeyError when another
   * connection has the same non-null `settings.uid`.
   */
  readonly connections: Collection<ConnectionDoc> & {
    /** The connection with this uid, or null: an indexed lookup (shared listeners route by it per request). */
    byUid(uid: string): Promise<ConnectionDoc | null>;
    /**
     * Takes the next request slot of the connection's shared rate limit, atomically
     * on its one document: slot = max(now, next free slot); the next free slot
     * becomes slot + intervalMs. Every instance sharing the store draws from the
     * same spacing. Resolves with the slot (ms since the epoch; wait until then),
     * or null when the connection does not exist.
     */
    reserveSlot(id: string, now: number, intervalMs: number): Promise<number | null>;
  };

  /**
   * `insert` places the new flow's cursor: the first flow of a listener takes every
   * job kept so far; later ones start after the newest job. `replace` never moves
   * the cursor. Not atomic against a concurrent insert or delete of another flow of
   * the same listener (admin actions; the first-flow rule may then see either).
   */
  readonly flows: Collection<FlowDoc> & {
    byListener(listenerId: string): Promise<FlowDoc[]>;
    /** Flows that deliver to the import, or send their error alerts through it. */
    byImport(importId: string): Promise<FlowDoc[]>;
  };

  /**
   * Writes a job and makes it pending for every flow of its listener.
   * Atomic: the job (with its pages) is readable whole or not at all; resolved
   * means durable (group-committed with the writes of the same turn).
   * Order: the job gets the next seq of its listener, claimed by a unique insert
   * only once every lower seq is readable (dense, readable in seq order; see
   * "Arrival order" above), so a `readJobs` cursor never skips it.
   * Dedup: with `dedup`, a live claim on the key makes this a duplicate (no job
   * written, the original response returned); of two writers claiming one key at
   * once, exactly one is accepted.
   * @throws QueueFullError when a flow (or, with no flow, the listener) is at its
   * limit; with several writers the limit may be passed by the appends in flight
   * at once (each writer checks what it last read).
   */
  appendJob(job: NewJob, options?: { dedup?: DedupClaim }): Promise<AppendResult>;

  /** The live dedup claim for a key, or null. */
  findDedup(listenerId: string, key: string, now: string): Promise<StoredResponse | null>;

  /**
   * Replaces the response a live claim answers duplicates with (afterFlow: the
   * response actually sent is known only after the flows ran). One document, last
   * writer wins; a no-op when gone.
   */
  updateDedupResponse(listenerId: string, key: string, response: StoredResponse): Promise<void>;

  /** Deletes up to `limit` claims expired at `now`; resolves with how many went (safe to run on every instance). */
  purgeExpiredDedup(now: string, limit: number): Promise<number>;

  getJob(id: string): Promise<JobDoc | null>;

  /** Jobs of a listener with seq > afterSeq, in seq order, with no gap below the last one returned. */
  readJobs(listenerId: string, afterSeq: number, limit: number): Promise<JobDoc[]>;

  /** The newest seq of a listener (0 when none); never decreases (a purge keeps the newest job). */
  lastSeq(listenerId: string): Promise<number>;

  /** The flow's cursor (as in `delivery.getFlowState`), or null when the flow does not exist. */
  getFlowCursor(flowId: string): Promise<FlowCursor | null>;

  /**
   * Moves a flow's cursor from `from` to `to` for the holder of lease term `term`.
   * Returns false (and moves nothing) when the cursor is not at `from`, the flow is
   * gone, or `term` is no longer the flow's newest lease term: that is how a holder
   * whose lease was taken over notices, before its next page.
   * Atomic: one document that only the term's holder writes. Order: a new term
   * starts from the cursor its predecessor had written, so the cursor never goes back
   * past what was written before a takeover; a page the old holder finished after the
   * takeover is delivered again (at-least-once, only when a lease was broken).
   */
  advanceFlowCursor(flowId: string, term: number, from: FlowCursor, to: FlowCursor): Promise<boolean>;

  /** Jobs waiting for a flow: its listener's newest seq minus its cursor. */
  queueDepth(flowId: string): Promise<number>;

  /** Delivery state beside the cursor: leases, errors, job views, purge (see DeliveryStore). */
  readonly delivery: DeliveryStore;

  /** A flow's stored retry wait and its queue of replays (see ScheduleStore). */
  readonly schedule: ScheduleStore;

  /** The listener's sample (SPEC §10), or null. */
  getSample(listenerId: string): Promise<Sample | null>;
  /** Saving a sample is not part of any 2xx guarantee; adapters may coalesce. Last writer wins. */
  saveSample(listenerId: string, sample: Sample): Promise<void>;

  /**
   * Debug log entries (SPEC §13). Entries expire by `purgeExpired`, run by a
   * background task: no adapter relies on a database TTL feature.
   */
  readonly debugLogs: {
    /**
     * Writes the entries. Atomic: on DuplicateKeyError (a repeated id) the entries of
     * this call that were written are removed again before the rejection.
     * @throws DuplicateKeyError on a repeated id.
     */
    append(entries: readonly DebugLogEntry[]): Promise<void>;
    /** A listener's entries, newest (greatest id) first; `nextCursor` is the id of the last item, null on the last page. */
    list(listenerId: string, options: DebugLogListOptions): Promise<Page<DebugLogEntry>>;
    /** How many entries of this session are kept (the per-session cap survives a restart; with several writers it may be passed by the captures in flight). */
    countSession(listenerId: string, session: string): Promise<number>;
    /** Deletes every entry whose `expiresAt` <= `now` (ISO-8601); resolves with how many went. */
    purgeExpired(now: string): Promise<number>;
  };

  /** The always-on request history: the newest requests of each listener, without headers or bodies. */
  readonly requestHistory: RequestHistoryStore;
}

/** One webhook request as the request history keeps it. */
export interface RequestRecord {
  /** 32 characters [a-z0-9] that sort in arrival order (a later request has a greater id). */
  id: string;
  listenerId: string;
  requestId: string;
  /** ISO-8601. */
  receivedAt: string;
  method: string;
  status: number;
  /** `accepted`, `duplicate`, `filtered`, `handshake`, or the error code (`ERR_…`). */
  outcome: string;
  /** Why it was refused (verifier reason, parse error), or null. */
  reason: string | null;
  jobId: string | null;
  durationMs: number;
}

export interface RequestHistoryQuery {
  limit: number;
  /** Only records with a smaller id: the `nextCursor` of the previous page. */
  after?: string | undefined;
  /** Only these outcomes; all when omitted. */
  outcomes?: readonly string[] | undefined;
  /** Only records received at or after / before this ISO-8601 time. */
  since?: string | undefined;
  until?: string | undefined;
}

export interface RequestHistoryStore {
  /** Writes the records, then keeps only the newest `keepPerListener` of each listener they concern. */
  append(records: readonly RequestRecord[], keepPerListener: number): Promise<void>;
  /** Newest (greatest id) first; `nextCursor` is the id of the last item, null on the last page. */
  list(listenerId: string, query: RequestHistoryQuery): Promise<Page<RequestRecord>>;
  /** Removes every record of the listener (it was deleted); resolves with how many went. */
  deleteListener(listenerId: string): Promise<number>;
}

// ---------------------------------------------------------------------------
// Delivery (SPEC §11, §17): what the delivery engine keeps besides the cursor.
//
// Leases are numbered terms: taking a free or expired lease creates the next term
// (a unique insert on MongoDB: one winner), renewing keeps the term. The cursor
// belongs to the term, so only its holder writes it. Each error is its own
// document; a status change claims the error's version by a unique insert.
// For a new error schedule (issue 12: stored nextAttemptAt) or a batched cursor
// commit (issue 16), keep to the same rules: arbitration by unique insert only,
// and a document written by one holder at a time.
// ---------------------------------------------------------------------------

/** Who delivers a flow's queue right now. Only the holder sends its pages. */
export interface FlowLease {
  owner: string;
  /** ISO-8601: after this, another owner may take the lease. */
  until: string;
  /** Which term of the flow's lease this is: a takeover starts the next one. */
  term: number;
}

export interface FlowDeliveryState {
  cursor: FlowCursor;
  /** The seq the flow started after when it was created: older jobs were never its own. */
  startSeq: number;
  lease: FlowLease | null;
}

/**
 * `open`: waiting for someone; `retrying`: resubmitted, the flow's worker sends it
 * before the next page of its queue; `resolved`: delivered on a retry, or closed by hand.
 */
export type DeliveryErrorStatus = 'open' | 'retrying' | 'resolved';

/** What an import answered, as kept with errors and shown to afterFlow templates. */
export interface ImportResponseDoc {
  status: number;
  /** A few headers worth keeping (content-type, location, retry-after, request ids). */
  headers: Record<string, string>;
  /** At most 64 KiB of the body as text. */
  body: string;
  truncated: boolean;
  /** The body parsed, when it was JSON and whole. */
  json?: unknown;
}

export interface DeliveryErrorDoc {
  /** 32 characters [a-z0-9], derived from where the failure happened, so a page re-sent after a crash records it once. */
  id: string;
  flowId: string;
  listenerId: string;
  jobId: string;
  jobSeq: number;
  /** The accepted request's id and arrival (ISO-8601), kept here because the job itself is purged in time. */
  requestId: string;
  receivedAt: string;
  /** The page, or null for a record too large for any page (`job.meta.oversized`). */
  pageIndex: number | null;
  /** The import that failed, or null when no import was reached (oversized record). */
  importId: string | null;
  /** Its position in the flow's imports when it failed; a retry starts there. */
  importIndex: number;
  /** Records concerned: indexes within the page (within the job for an oversized record). */
  recordIndexes: number[];
  traceKeys: string[];
  dataUris?: string[];
  /** `http` (a non-2xx answer), `network`, `timeout`, `template`, `oversized`, `config`. */
  kind: string;
  message: string;
  response: ImportResponseDoc | null;
  /** Requests made for it, retries included. */
  attempts: number;
  idempotencyKey: string | null;
  /** The failed records (JSON array text), unless the listener sets `doNotStoreRetryData`. */
  retryData: { recordsJson: string } | null;
  status: DeliveryErrorStatus;
  /** How many times it was resubmitted. */
  retryCount: number;
  retryRequestedAt: string | null;
  resolvedAt: string | null;
  /** Sort key in queue order: job seq, page, import, record (fixed-width). */
  position: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryErrorListOptions extends ListOptions {
  /** Only errors in this status; all when omitted. */
  status?: DeliveryErrorStatus | undefined;
}

/** One job as a queue listing shows it: no records. */
export interface JobSummary {
  id: string;
  seq: number;
  requestId: string;
  receivedAt: string;
  recordCount: number;
  pages: Array<{ index: number; count: number; traceKeys: string[] }>;
  /** Records too large for a page (`meta.oversized`), counted. */
  oversizedCount: number;
}

/** What a failed retry changes on its error, which goes back to `open`. */
export type DeliveryErrorUpdate = Pick<DeliveryErrorDoc, 'kind' | 'message' | 'response' | 'attempts' | 'importId' | 'importIndex'>;

export interface DeliveryStore {
  /** Cursor, start and lease of a flow; null when the flow does not exist. */
  getFlowState(flowId: string): Promise<FlowDeliveryState | null>;

  /**
   * Takes or renews the flow's lease until `until`, resolving with the term held
   * (null when another owner holds a live lease, or the flow does not exist).
   * Already `owner`'s newest term: renewed in place, same term. Free or expired
   * (`until` <= `now`): a new term, claimed by a unique insert, so of several
   * instances taking it at once exactly one gets it. Clocks of the instances are
   * assumed to agree within a small fraction of the lease length.
   */
  acquireFlowLease(flowId: string, owner: string, now: string, until: string): Promise<number | null>;

  /** Gives the lease up if `owner` holds the newest term (its cursor stays); a no-op otherwise. */
  releaseFlowLease(flowId: string, owner: string): Promise<void>;

  /** Records an error. Atomic: one document. Returns false (and changes nothing) when an error with this id exists (unique key). */
  insertError(error: DeliveryErrorDoc): Promise<boolean>;

  getError(id: string): Promise<DeliveryErrorDoc | null>;

  /**
   * A flow's errors in queue order (`position`, then id).
   * @throws InvalidCursorError when `after` is not a cursor this adapter gave out.
   */
  listErrors(flowId: string, options: DeliveryErrorListOptions): Promise<Page<DeliveryErrorDoc>>;

  /**
   * `open` or `resolved` → `retrying` with `retryRequestedAt = at` (and `resolvedAt`
   * cleared). Returns false when it is already retrying. This and the other status
   * changes below are atomic per error: of several writers changing the same
   * version, one wins (the version is claimed by a unique insert) and the others get false.
   */
  requestRetry(id: string, at: string): Promise<boolean>;

  /** The flow's next error to resend: `retrying`, oldest request first, then queue order. */
  nextRetry(flowId: string): Promise<DeliveryErrorDoc | null>;

  /**
   * Ends a resend: `retrying` → `resolved` (delivered), or → `open` with the new
   * failure's details and `retryCount` + 1. Returns false when it was not retrying.
   */
  finishRetry(id: string, at: string, failure: DeliveryErrorUpdate | null): Promise<boolean>;

  /** `open` → `resolved` by hand. Returns false when the error is not open. */
  resolveError(id: string, at: string): Promise<boolean>;

  /** Status of the errors of these jobs, for the job listing. */
  errorsOfJobs(flowId: string, jobIds: readonly string[]): Promise<Array<Pick<DeliveryErrorDoc, 'id' | 'jobId' | 'pageIndex' | 'status'>>>;

  /** Removes every error of a flow (the flow was deleted). Resolves with how many went. */
  deleteFlowErrors(flowId: string): Promise<number>;

  /**
   * A listener's jobs with `minSeq` < seq, newest first, without records.
   * @throws InvalidCursorError when `after` is not a cursor this adapter gave out.
   */
  listJobs(listenerId: string, minSeq: number, options: ListOptions): Promise<Page<JobSummary>>;

  /**
   * Deletes up to `limit` jobs that every flow of their listener has passed (with
   * no flow: those at or below the seq a first flow would start after) and that
   * were received before `receivedBefore` (ISO-8601), with their pages; and
   * resolved errors last updated before it. Never touches a job some flow has
   * not passed. Resolves with how many jobs went.
   */
  purge(receivedBefore: string, limit: number): Promise<number>;
}

// ---------------------------------------------------------------------------
// Schedule (SPEC §11): the retry a flow is waiting for, and replays queued for it.
//
// On MongoDB the retry wait is one field of the flow's newest lease term (beside
// the cursor, written only by the term's holder, carried over by a takeover); each
// replay is its own document, ordered within its flow by request time.
// ---------------------------------------------------------------------------

/** Where a flow waits for its next attempt at a request that failed; one at a time per flow. */
export interface RetryWait {
  /** What is being retried: the page's (or record's) idempotency key plus where it came from (`page`, `error:<id>`, `replay:<id>`). */
  unit: string;
  jobId: string;
  pageIndex: number;
  importId: string;
  importIndex: number;
  /** Record mode: the record's index in the page; null in page mode. */
  recordIndex: number | null;
  /** Requests made so far. */
  attempts: number;
  /** ISO-8601. */
  firstAttemptAt: string;
  nextAttemptAt: string;
  /** The last failure: its kind (`http`, `network`, `timeout`), HTTP status if any, and message. */
  lastError: { kind: string; status: number | null; message: string };
}

/** One job to deliver again to a flow. */
export interface ReplayDoc {
  /** 32 characters [a-z0-9]. */
  id: string;
  flowId: string;
  jobId: string;
  /** Sent once the flow's cursor has reached this seq of its listener: what was queued when the replay was asked for goes first. */
  afterSeq: number;
  /** Pages of the job already replayed. */
  page: number;
  /** ISO-8601. */
  requestedAt: string;
}

export interface ScheduleStore {
  /** The flow's retry wait, or null (none, or no such flow). */
  getRetryWait(flowId: string): Promise<RetryWait | null>;
  /** Stores (or with null, clears) the flow's retry wait; a no-op for a flow that does not exist. One document written by the lease holder only (last writer wins otherwise). */
  setRetryWait(flowId: string, wait: RetryWait | null): Promise<void>;
  /** ISO-8601 arrival of the oldest job the flow has not passed, or null when none waits. */
  oldestWaiting(flowId: string): Promise<string | null>;
  /**
   * Queues replays behind the flow's earlier ones, in the order given (across instances:
   * by request time). Atomic: on a repeated id the replays of this call already written
   * are removed before the rejection. @throws DuplicateKeyError on a repeated id (nothing kept).
   */
  enqueueReplays(replays: readonly ReplayDoc[]): Promise<void>;
  /** The flow's oldest queued replay, or null. */
  nextReplay(flowId: string): Promise<ReplayDoc | null>;
  /** How many replays wait for the flow. */
  countReplays(flowId: string): Promise<number>;
  /** Moves a replay from page `from` to `to`, or removes it when `to` is null; false when it is no longer at `from`. Called by the flow's lease holder only, which is what makes it safe without a compare-and-set. */
  advanceReplay(id: string, from: number, to: number | null): Promise<boolean>;
}
