/**
 * The store port, what hookport keeps about requests besides their jobs: the
 * listener's sample (SPEC §10), debug captures (SPEC §13) and the request history.
 */
import type { ListPage } from './resources';

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
  /** Only entries whose id is lower (captured earlier): the `nextCursor` of the previous list page, or any entry id. */
  before?: string | undefined;
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
  /** Only records with a smaller id: the `nextCursor` of the previous list page. */
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
  /** Newest (greatest id) first; `nextCursor` is the id of the last item, null on the last list page. */
  list(listenerId: string, query: RequestHistoryQuery): Promise<ListPage<RequestRecord>>;
  /** Removes every record of the listener (it was deleted); resolves with how many went. */
  deleteListener(listenerId: string): Promise<number>;
}
