/**
 * The hot path, from socket to store (SPEC §3). One function runs the stages in
 * the order the spec's table gives; each stage lives in its own file:
 *
 *   hook-path → listener-registry → rate-limit → read-body → allowIps →
 *   handshake → verify-stage → parse (request-context) → validation → dedup → filter →
 *   route-stage (shared listeners) → build-job (records, output mapping) → store.appendJob (accept) → respond
 *
 * The 2xx is written only after appendJob resolves, i.e. after the job's
 * transaction committed. Observers (debug capture, metrics, status) see every
 * request, rejected ones included, after its response is written.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock';
import { AppError, toAppError } from '../errors';
import type { Logger } from '../logger';
import { QueueFullError, type Store, type StoredResponse } from '../store/store';
import { carriesCredentials, maskQuery, maskSensitiveHeaders, scrubCredentials } from './scrub-credentials';
import { buildJob, selectJobRecords } from './build-job';
import { dedupKeyOf } from './dedup';
import type { Exchange, ExchangeResponse, IngestObserver } from './exchange';
import { findHandshake, renderHandshake } from '../handshakes/handshake';
import { parseHookPath } from './hook-path';
import type { LeakyBucket, BucketMap } from './leaky-bucket';
import type { ListenerRegistry } from './listener-registry';
import { ClientAbortedError, readBody } from './read-body';
import { applyLimits } from './rate-limit';
import type { SampleKeeper } from './sample-keeper';
import { RequestContext } from './request-context';
import { problemAnswer, renderSuccess, write, writeProblem, type Answer, type ResponseContext } from './respond';
import { handshakeSecret, type RuntimeListener } from './runtime-listener';
import { routeRequest, type Route, type UidLookup } from './route-stage';
import { checkAllowIps, signingSecret, unauthorized, verifyRequest } from './verify-stage';

const METHODS = new Set(['POST', 'PUT', 'PATCH', 'GET']);
const ALLOW = 'POST, PUT, PATCH, GET';
/** How long a partner is asked to wait when a flow's queue is full. */
const QUEUE_FULL_RETRY_SECONDS = 30;
/** Bodies up to this size are read and dropped after an early refusal, to keep the connection. */
const DRAIN_LIMIT = 64 * 1024;

export interface AfterFlowWaiter {
  /** Before the append: keep the job's progress for the wait that follows. */
  expect(jobId: string): void;
  /** The expected job was not appended. */
  forget(jobId: string): void;
  /** Resolves with the imports' results, or 'failed' / 'timeout' (SPEC §12 afterFlow). */
  wait(jobId: string, listener: RuntimeListener, timeoutMs: number): Promise<{ status: 'done'; imports: unknown } | { status: 'failed' } | { status: 'timeout' }>;
}

export interface IngestDeps {
  registry: ListenerRegistry;
  store: Store;
  clock: Clock;
  publicUrl: string;
  /** Stores a secret a handshake handed over (Asana); false when the listener already had one. */
  captureSecret?: (listenerId: string, value: string) => Promise<boolean>;
  /** The scheme and host the partner called (caller-url.ts); `publicUrl` when absent. */
  callerBaseUrl?: (req: IncomingMessage) => string;
  instanceBucket: LeakyBucket;
  instanceCapacity: number;
  buckets: BucketMap;
  observers: IngestObserver[];
  logger: Logger;
  afterFlow?: AfterFlowWaiter;
  samples: SampleKeeper;
  /** Shared listeners look tenant uids up here (the connections). */
  uids: UidLookup;
}

export type IngestHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => void;

export function createIngestHandler(deps: IngestDeps): IngestHandler {
  return (req, res, requestId) => {
    void handle(deps, req, res, requestId);
  };
}

function toStoredResponse(response: Answer): StoredResponse {
  return { status: response.status, headers: response.headers, body: response.body.toString('utf8') };
}

function replay(res: ServerResponse, requestId: string, original: StoredResponse, extra: Record<string, string>): ExchangeResponse {
  return write(res, requestId, original.status, { ...original.headers, ...extra, 'Hookport-Duplicate': 'true' }, Buffer.from(original.body));
}

/** The success response plus `Hookport-Filtered: true` (or `Hookport-Unrouted: true`), for a request that queues nothing. */
function answerFiltered(
  res: ServerResponse, requestId: string, listener: RuntimeListener, context: ResponseContext, limitHeaders: Record<string, string>,
  marker = 'Hookport-Filtered',
): ExchangeResponse {
  const success = renderSuccess(listener, context);
  return write(res, requestId, success.status, { ...limitHeaders, ...success.headers, [marker]: 'true' }, success.body);
}

/** After an early refusal: drop a small unread body to keep the connection, close on a big one. */
function releaseBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete || req.readableEnded) return;
  const length = Number(req.headers['content-length'] ?? NaN);
  if (length <= DRAIN_LIMIT) req.resume();
  else res.setHeader('Connection', 'close');
}

async function handle(deps: IngestDeps, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const started = performance.now();
  const receivedAt = deps.clock.now();
  const exchange: Exchange = {
    requestId, receivedAt, req, target: undefined, listener: undefined, rawBody: undefined, verification: undefined,
    parse: undefined, body: undefined, recordCount: undefined, rateLimitedBy: undefined, jobId: undefined, outcome: 'accepted',
    response: { status: 0, headers: {}, body: Buffer.alloc(0) }, durationMs: 0,
  };
  let limitHeaders: Record<string, string> = {};
  try {
    const target = parseHookPath(req.url!);
    if (!target) throw new AppError('ERR_LISTENER_NOT_FOUND');
    exchange.target = target;
    const listener = deps.registry.peek(target.listenerId) ?? (await deps.registry.find(target.listenerId));
    if (!listener) throw new AppError('ERR_LISTENER_NOT_FOUND');
    exchange.listener = listener;
    if (listener.deleted) throw new AppError('ERR_LISTENER_DELETED', 'this listener was deleted; its URL no longer accepts webhooks');
    // Only secret-URL listeners have a second path segment; anything else under the id is not a listener URL.
    if (target.pathSecret !== undefined && !listener.verifier.secretInPath) throw new AppError('ERR_LISTENER_NOT_FOUND');
    if (!METHODS.has(req.method!)) {
      throw new AppError('ERR_METHOD_NOT_ALLOWED', `${req.method} is not accepted; use POST, PUT, PATCH or GET`, { headers: { Allow: ALLOW } });
    }
    const limit = applyLimits(deps.instanceBucket, deps.instanceCapacity, deps.buckets, listener);
    limitHeaders = limit.headers;
    exchange.rateLimitedBy = limit.refusedBy;
    if (limit.error) throw limit.error;

    const rawBody = await readBody(req, listener.settings.parsing.maxBodyBytes);
    exchange.rawBody = rawBody;
    const context = new RequestContext(req, target, listener, rawBody, deps.callerBaseUrl?.(req) ?? deps.publicUrl, () => deps.clock.now());

    const allowed = checkAllowIps(context);
    if (!allowed.ok) {
      exchange.verification = allowed;
      throw unauthorized(context, allowed.reason);
    }

    if (listener.handshakes) {
      const subject = { method: req.method!, headers: req.headers, query: context.query, body: await context.handshakeBody() };
      const found = findHandshake(listener.handshakes, subject);
      // A rule that captures a secret is answered only while the listener has none (trust on first use).
      const candidate = found?.rule.captureSecret !== undefined && handshakeSecret(listener, receivedAt) !== undefined ? undefined : found;
      if (candidate) {
        let secret: string | undefined;
        if (candidate.rule.verify) {
          const verification = await verifyRequest(context);
          exchange.verification = verification;
          if (!verification.ok) throw unauthorized(context, verification.reason);
          // Answer under the secret the sender signed with, which during a rotation may not be the first.
          secret = (await signingSecret(context, receivedAt)) ?? handshakeSecret(listener, receivedAt);
        }
        const match = renderHandshake(candidate, subject, secret);
        if (match.capturedSecret !== undefined) await captureSecret(deps, listener.id, match.capturedSecret);
        const reply = match.response;
        exchange.outcome = 'handshake';
        exchange.response = write(res, requestId, reply.status, { ...limitHeaders, ...reply.headers, 'Content-Type': reply.contentType }, reply.body);
        return;
      }
    }

    const verification = await verifyRequest(context);
    exchange.verification = verification;
    if (!verification.ok) throw unauthorized(context, verification.reason);

    let body: unknown;
    try {
      body = await context.body();
      exchange.parse = { ok: true };
    } catch (error) {
      exchange.parse = { ok: false, error: (error as Error).message };
      throw error;
    }
    exchange.body = body;

    if (listener.validateBody) {
      const errors = listener.validateBody(body);
      if (errors.length > 0) {
        throw new AppError('ERR_VALIDATION_FAILED', errors.map((e) => `${e.path || '/'} ${e.message}`).join('; '), { extensions: { errors } });
      }
    }

    const dedupKey = listener.dedup ? dedupKeyOf(listener.dedup, req.headers, body) : undefined;
    if (dedupKey) {
      const original = await deps.store.findDedup(listener.id, dedupKey, new Date(receivedAt).toISOString());
      if (original) {
        exchange.outcome = 'duplicate';
        exchange.response = replay(res, requestId, original, limitHeaders);
        return;
      }
    }

    const responseContext: ResponseContext = {
      body, headers: req.headers, query: context.query, method: req.method!, records: [], recordCount: 0, traceKeys: [], requestId,
    };

    if (listener.filter && !listener.filter({ method: req.method, headers: req.headers, query: context.query, body })) {
      exchange.outcome = 'filtered';
      exchange.response = answerFiltered(res, requestId, listener, responseContext, limitHeaders);
      return;
    }

    let route: Route | undefined;
    if (listener.routingUid) {
      route = await routeRequest(listener, deps.uids, { body, headers: req.headers, query: context.query, method: req.method! });
      if (!route) {
        // Answered as a success so the sender does not retry forever; counted and logged as `unrouted`.
        exchange.outcome = 'unrouted';
        exchange.response = answerFiltered(res, requestId, listener, responseContext, limitHeaders, 'Hookport-Unrouted');
        return;
      }
    }

    // A token the sender put in the body authenticates it to hookport; it is not data for the flows.
    const storedBody = carriesCredentials(listener, context) ? await scrubCredentials(context, body) : body;
    const records = await selectJobRecords(listener, storedBody, req.headers);
    exchange.recordCount = records.length;
    if (records.length === 0) {
      // An empty batch, or every record refused by records.filter: nothing to deliver.
      exchange.outcome = 'filtered';
      exchange.response = answerFiltered(res, requestId, listener, responseContext, limitHeaders);
      return;
    }

    const built = await buildJob(listener, records, requestId, receivedAt, {
      method: req.method,
      contentType: req.headers['content-type'] ?? null,
      // Never a credential in the stored job: query tokens (token verifier, Meta) are masked.
      query: maskQuery(context.query, listener.sensitiveQuery),
      ...(route ? { route } : {}),
    }, {
      body: storedBody,
      headers: maskSensitiveHeaders(req.headers, listener.sensitiveHeaders),
      query: maskQuery(context.query, listener.sensitiveQuery),
      method: req.method!,
      now: new Date(receivedAt).toISOString(),
    });
    responseContext.records = built.records;
    responseContext.recordCount = built.records.length;
    responseContext.traceKeys = built.traceKeys;
    // Rendered before the write: a template fault must not follow a durable accept with a 500.
    const success = renderSuccess(listener, responseContext);

    const waitsForFlows = listener.settings.response.mode === 'afterFlow' && deps.afterFlow !== undefined;
    if (waitsForFlows) deps.afterFlow!.expect(built.job.id);
    let appended;
    try {
      appended = await deps.store.appendJob(
        built.job,
        dedupKey && listener.dedup
          ? { dedup: { key: dedupKey, expiresAt: new Date(receivedAt + listener.dedup.windowMs).toISOString(), response: toStoredResponse(success) } }
          : {},
      );
    } catch (error) {
      if (waitsForFlows) deps.afterFlow!.forget(built.job.id);
      if (error instanceof QueueFullError) {
        throw new AppError('ERR_QUEUE_FULL', error.flowId ? `flow ${error.flowId} has ${error.depth} jobs waiting` : `${error.depth} jobs are waiting for a flow to be attached`, {
          headers: { 'Retry-After': String(QUEUE_FULL_RETRY_SECONDS) },
        });
      }
      deps.logger.error({ err: error, requestId, listenerId: listener.id }, 'store refused a job');
      throw new AppError('ERR_STORE_UNAVAILABLE', 'the job could not be stored; nothing was accepted, send it again', {
        headers: { 'Retry-After': '5' },
      });
    }
    if (appended.status === 'duplicate') {
      if (waitsForFlows) deps.afterFlow!.forget(built.job.id);
      exchange.outcome = 'duplicate';
      exchange.response = replay(res, requestId, appended.response, limitHeaders);
      return;
    }
    exchange.jobId = built.job.id;
    deps.samples.keep(listener.id, () => ({
      body: storedBody,
      headers: maskSensitiveHeaders(req.headers, listener.sensitiveHeaders),
      receivedAt: new Date(receivedAt).toISOString(),
      contentType: req.headers['content-type'] ?? null,
    }));

    if (waitsForFlows) {
      const outcome = await deps.afterFlow!.wait(built.job.id, listener, listener.settings.response.timeoutSeconds * 1000);
      let answer: Answer;
      if (outcome.status === 'failed') {
        exchange.outcome = 'ERR_FLOW_FAILED';
        answer = problemAnswer(new AppError('ERR_FLOW_FAILED', 'an import of this listener’s flows failed for this request'), requestId);
      } else if (outcome.status === 'timeout') {
        exchange.outcome = 'accepted-timeout';
        answer = { status: 202, headers: { 'Content-Type': 'application/json' }, body: Buffer.from(JSON.stringify({ status: 'Accepted', requestId })) };
      } else {
        answer = renderSuccess(listener, { ...responseContext, imports: outcome.imports });
      }
      // A duplicate gets what this request was actually answered, which only now is known: recorded
      // before the answer goes out, so a duplicate sent right after it cannot see the earlier one.
      if (dedupKey) {
        await deps.store
          .updateDedupResponse(listener.id, dedupKey, toStoredResponse(answer))
          .catch((error) => deps.logger.warn({ err: error, listenerId: listener.id }, 'could not record the afterFlow answer for duplicates'));
      }
      exchange.response = write(res, requestId, answer.status, { ...limitHeaders, ...answer.headers }, answer.body);
      return;
    }
    exchange.response = write(res, requestId, success.status, { ...limitHeaders, ...success.headers }, success.body);
  } catch (error) {
    if (error instanceof ClientAbortedError) {
      exchange.outcome = 'aborted';
      res.destroy();
      return;
    }
    const appError = toAppError(error);
    if (appError.code === 'ERR_INTERNAL') deps.logger.error({ err: error, requestId }, 'ingest failed');
    exchange.outcome = appError.code;
    if (appError.code === 'ERR_UNAUTHORIZED' && !exchange.verification) exchange.verification = { ok: false, reason: appError.internalReason ?? 'refused' };
    releaseBody(req, res);
    if (res.headersSent) res.destroy();
    else exchange.response = writeProblem(res, appError, requestId, limitHeaders);
  } finally {
    exchange.durationMs = performance.now() - started;
    for (const observer of deps.observers) {
      try {
        observer.observe(exchange);
      } catch (error) {
        deps.logger.warn({ err: error }, 'an ingest observer failed');
      }
    }
  }
}

/**
 * Keeps the secret a handshake handed over before the handshake is answered:
 * the sender signs with it from its next request on. Refuses (401) when it
 * cannot be kept, so the sender does not believe the URL is set up.
 */
async function captureSecret(deps: IngestDeps, listenerId: string, value: string): Promise<void> {
  const stored = value.length > 0 && deps.captureSecret !== undefined && (await deps.captureSecret(listenerId, value));
  if (!stored) throw new AppError('ERR_UNAUTHORIZED', undefined, { internalReason: value.length === 0 ? 'the handshake carried an empty secret' : 'the listener already has a secret' });
}
