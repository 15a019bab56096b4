/**
 * The store port, jobs: what an accepted request becomes (a job of record pages),
 * where a flow stands in its listener's job sequence, and the dedup claim that
 * answers a repeated request with the original response.
 */
/** Where a flow stands in its listener's job sequence. */
export interface FlowCursor {
  /** Every job with seq <= this is done for the flow. */
  seq: number;
  /** Pages of job seq+1 already done (0 = none). */
  page: number;
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

/**
 * What a request was answered, as a dedup claim keeps it for duplicates: the
 * ingest path's `Answer` (lib/ingest/respond.ts) with its body as UTF-8 text, so
 * every adapter stores it as plain JSON. Listener responses are templates that
 * render text, so nothing is lost.
 */
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
