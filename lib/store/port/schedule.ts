/**
 * The store port, schedule (SPEC §11): the retry a flow is waiting for, and
 * replays queued for it.
 *
 * On MongoDB the retry wait is one field of the flow's newest lease term (beside
 * the cursor, written only by the term's holder, carried over by a takeover); each
 * replay is its own document, ordered within its flow by request time.
 */
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
