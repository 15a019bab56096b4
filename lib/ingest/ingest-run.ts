/**
 * One request's way through the stages, as observers (debug capture, metrics,
 * listener status) see it. The hub, `handle()`, hands each stage's result here:
 * the methods record it and unwrap it — or throw the stage's refusal — so the
 * hub reads as the list of stages. This is also where every answer is written,
 * with the limiter's headers, and where an error becomes problem+json.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { toAppError } from '../errors';
import type { Logger } from '../logger';
import type { Exchange, IngestObserver } from './exchange';
import type { FoundListener } from './find-listener';
import type { ParseOutcome } from './parse-stage';
import type { LimitResult } from './rate-limit';
import { ClientAbortedError } from './read-body';
import type { RequestContext } from './request-context';
import { write, writeProblem, type Reply } from './respond';
import { unauthorized, type VerificationOutcome } from './verify-stage';

/** Bodies up to this size are read and dropped after an early refusal, to keep the connection. */
const DRAIN_LIMIT = 64 * 1024;

export class IngestRun {
  private readonly started = performance.now();
  private readonly exchange: Exchange;
  private limitHeaders: Record<string, string> = {};

  constructor(private readonly req: IncomingMessage, private readonly res: ServerResponse, readonly requestId: string, readonly receivedAt: number) {
    this.exchange = {
      requestId, receivedAt, req, target: undefined, listener: undefined, rawBody: undefined, verification: undefined,
      parse: undefined, body: undefined, recordCount: undefined, rateLimitedBy: undefined, jobId: undefined, outcome: 'accepted',
      response: { status: 0, headers: {}, body: Buffer.alloc(0) }, durationMs: 0,
    };
  }

  found(found: FoundListener): FoundListener {
    this.exchange.target = found.target;
    this.exchange.listener = found.listener;
    return found;
  }

  /** Keeps the RateLimit-* headers for every answer. @throws the 429 when a bucket refused */
  limited(limit: LimitResult): void {
    this.limitHeaders = limit.headers;
    this.exchange.rateLimitedBy = limit.refusedBy;
    if (limit.error) throw limit.error;
  }

  read(context: RequestContext): RequestContext {
    this.exchange.rawBody = context.rawBody;
    return context;
  }

  /** @throws the 401 when verification failed */
  verified(context: RequestContext, outcome: VerificationOutcome): void {
    this.exchange.verification = outcome;
    if (!outcome.ok) throw unauthorized(context.listener, outcome.reason);
  }

  /** The parsed body. @throws the parser's error */
  parsed(outcome: ParseOutcome): unknown {
    if (!outcome.ok) {
      this.exchange.parse = { ok: false, error: (outcome.error as Error).message };
      throw outcome.error;
    }
    this.exchange.parse = { ok: true };
    this.exchange.body = outcome.body;
    return outcome.body;
  }

  counted<T extends { records: unknown[] }>(prepared: T): T {
    this.exchange.recordCount = prepared.records.length;
    return prepared;
  }

  stored(jobId: string): void {
    this.exchange.jobId = jobId;
  }

  /** Writes the reply with the limiter's headers. A handshake that verified records it. */
  reply(reply: Reply & { verification?: VerificationOutcome }): void {
    if (reply.verification) this.exchange.verification = reply.verification;
    this.exchange.outcome = reply.outcome;
    const { status, headers, body } = reply.answer;
    this.exchange.response = write(this.res, this.requestId, status, { ...this.limitHeaders, ...headers }, body);
  }

  /** Any refusal or fault: problem+json, or a destroyed socket when the client left or the answer had started. */
  fail(error: unknown, logger: Logger): void {
    const { req, res } = this;
    if (error instanceof ClientAbortedError) {
      this.exchange.outcome = 'aborted';
      res.destroy();
      return;
    }
    const appError = toAppError(error);
    if (appError.code === 'ERR_INTERNAL') logger.error({ err: error, requestId: this.requestId }, 'ingest failed');
    this.exchange.outcome = appError.code;
    if (appError.code === 'ERR_UNAUTHORIZED' && !this.exchange.verification) {
      this.exchange.verification = { ok: false, reason: appError.internalReason ?? 'refused' };
    }
    releaseBody(req, res);
    if (res.headersSent) res.destroy();
    else this.exchange.response = writeProblem(res, appError, this.requestId, this.limitHeaders);
  }

  /** Hands the exchange to every observer; one that throws is logged and skipped. */
  finish(observers: readonly IngestObserver[], logger: Logger): void {
    this.exchange.durationMs = performance.now() - this.started;
    for (const observer of observers) {
      try {
        observer.observe(this.exchange);
      } catch (error) {
        logger.warn({ err: error }, 'an ingest observer failed');
      }
    }
  }
}

/** After an early refusal: drop a small unread body to keep the connection, close on a big one. */
function releaseBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.readableEnded) return;
  const length = Number(req.headers['content-length'] ?? NaN);
  if (length <= DRAIN_LIMIT) req.resume();
  else res.setHeader('Connection', 'close');
}
