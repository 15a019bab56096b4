/**
 * The store port, delivery (SPEC §11, §17): what the delivery engine keeps besides
 * the cursor.
 *
 * Leases are numbered terms: taking a free or expired lease creates the next term
 * (a unique insert on MongoDB: one winner), renewing keeps the term. The cursor
 * belongs to the term, so only its holder writes it. Each error is its own
 * document; a status change claims the error's version by a unique insert. New
 * delivery state (e.g. a batched cursor commit, issue 16) keeps to the same rules:
 * arbitration by unique insert only, and a document written by one holder at a time.
 */
import type { FlowCursor } from './jobs';
import type { ListOptions, ListPage } from './resources';

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
  listErrors(flowId: string, options: DeliveryErrorListOptions): Promise<ListPage<DeliveryErrorDoc>>;

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
  listJobs(listenerId: string, minSeq: number, options: ListOptions): Promise<ListPage<JobSummary>>;

  /**
   * Deletes up to `limit` jobs that every flow of their listener has passed (with
   * no flow: those at or below the seq a first flow would start after) and that
   * were received before `receivedBefore` (ISO-8601), with their pages; and
   * resolved errors last updated before it. Never touches a job some flow has
   * not passed. Resolves with how many jobs went.
   */
  purge(receivedBefore: string, limit: number): Promise<number>;
}
