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
 * Errors: adapters translate driver errors into the classes of
 * port/store-errors.ts. Any other rejection means the store is unavailable (the
 * caller answers 503).
 *
 * This file holds the `Store` interface; the types of each part of it live in
 * port/ (resources, jobs, observed requests, delivery, schedule, errors) and are
 * re-exported here, so callers import everything from this one module.
 */
import type { ApiKeyDoc, Collection, ConnectionDoc, FlowDoc, ImportDoc, ListenerDoc, ListPage } from './port/resources';
import type { AppendResult, DedupClaim, FlowCursor, JobDoc, NewJob, StoredResponse } from './port/jobs';
import type { DebugLogEntry, DebugLogListOptions, RequestHistoryStore, Sample } from './port/observed-requests';
import type { DeliveryStore } from './port/delivery';
import type { ScheduleStore } from './port/schedule';

export * from './port/resources';
export * from './port/jobs';
export * from './port/observed-requests';
export * from './port/store-errors';
export * from './port/delivery';
export * from './port/schedule';

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
    /** A listener's entries, newest (greatest id) first; `nextCursor` is the id of the last item, null on the last list page. */
    list(listenerId: string, options: DebugLogListOptions): Promise<ListPage<DebugLogEntry>>;
    /** How many entries of this session are kept (the per-session cap survives a restart; with several writers it may be passed by the captures in flight). */
    countSession(listenerId: string, session: string): Promise<number>;
    /** Deletes every entry whose `expiresAt` <= `now` (ISO-8601); resolves with how many went. */
    purgeExpired(now: string): Promise<number>;
  };

  /** The always-on request history: the newest requests of each listener, without headers or bodies. */
  readonly requestHistory: RequestHistoryStore;
}
