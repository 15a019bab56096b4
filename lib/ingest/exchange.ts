/**
 * What happened to one webhook request, handed to observers (debug capture,
 * metrics, listener status) when the response has been written. Built from what
 * the stages already hold; observers copy what they keep.
 */
import type { IncomingMessage } from 'node:http';
import type { HookTarget } from './hook-path';
import type { Answer } from './respond';
import type { RuntimeListener } from './runtime-listener';

export interface Exchange {
  requestId: string;
  /** Clock time the request arrived (ms since the epoch). */
  receivedAt: number;
  req: IncomingMessage;
  target: HookTarget | undefined;
  listener: RuntimeListener | undefined;
  rawBody: Buffer | undefined;
  /** Set once the verifier ran; `reason` is never sent to the partner. */
  verification: { ok: boolean; reason?: string } | undefined;
  parse: { ok: boolean; error?: string } | undefined;
  /** The parsed body, when parsing succeeded (debug capture re-uses it for redaction). */
  body: unknown;
  recordCount: number | undefined;
  /** Which bucket refused the request with 429, if one did. */
  rateLimitedBy: 'instance' | 'listener' | undefined;
  jobId: string | undefined;
  /** `accepted`, `duplicate`, `filtered`, `unrouted` (shared listener, no tenant), `handshake`, or the error code. */
  outcome: string;
  /** What was written. */
  response: Answer;
  durationMs: number;
}

export interface IngestObserver {
  observe(exchange: Exchange): void;
}
