/**
 * The respond stage (SPEC §12): the listener's success response (at once, or
 * after its flows with `mode: afterFlow`), the replies that end a request early
 * (duplicate, filtered), problem+json errors, and writing them on the raw Node
 * response object. `write` returns exactly what it wrote, for debug capture.
 */
import type { ServerResponse } from 'node:http';
import { AppError, problemResponse } from '../errors';
import type { Logger } from '../logger';
import type { Store, StoredResponse } from '../store/store';
import { toStoredResponse, type AfterFlowWaiter } from './accept';
import type { RuntimeListener } from './runtime-listener';

const EMPTY = Buffer.alloc(0);

/**
 * Writes status, headers and body in one `writeHead` with a flat header list —
 * the cheapest way through Node's HTTP layer — adding X-Request-Id.
 */
export function write(res: ServerResponse, requestId: string, status: number, headers: Record<string, string>, body: Buffer): Answer {
  const flat: string[] = ['X-Request-Id', requestId];
  for (const name in headers) flat.push(name, headers[name]!);
  if (status === 204 || status === 304) {
    res.writeHead(status, flat);
    res.end();
    return { status, headers, body: EMPTY };
  }
  flat.push('Content-Length', String(body.length));
  res.writeHead(status, flat);
  res.end(body);
  return { status, headers, body };
}

/**
 * A response: what a listener or an error answers (before the limiter's
 * headers), and what was written. The store keeps its text form,
 * `StoredResponse`, for duplicates.
 */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** How a request ended (`accepted`, `duplicate`, `filtered`, `handshake`, …) and what it is answered. */
export interface Reply {
  outcome: string;
  answer: Answer;
}


export function writeProblem(res: ServerResponse, error: AppError, requestId: string, extraHeaders: Record<string, string>): Answer {
  const answer = problemResponse(error, requestId);
  return write(res, requestId, answer.status, { ...extraHeaders, ...answer.headers }, answer.body);
}

/** What Node refuses in a header value (RFC 9110 field-value: no CR, LF, NUL, nor anything past Latin-1). */
const INVALID_HEADER_CHARACTERS = /[^\t\x20-\x7e\x80-\xff]/g;

/**
 * A header rendered from the partner's data may hold characters no header can
 * carry. They become `?` here, before the job is stored: finding out after the
 * commit (Node throws in setHeader) would answer a stored request with a 500.
 */
function headerSafe(value: string): string {
  return value.replace(INVALID_HEADER_CHARACTERS, '?');
}

/** What the response templates see (SPEC §12). */
export interface ResponseContext {
  body: unknown;
  headers: Record<string, unknown>;
  query: Record<string, unknown>;
  method: string;
  records: unknown[];
  recordCount: number;
  traceKeys: string[];
  requestId: string;
  imports?: unknown;
}

/** The listener's configured success response, rendered. Throws TemplateRenderError on a template fault. */
export function renderSuccess(listener: RuntimeListener, context: ResponseContext): Answer {
  const { response } = listener.settings;
  const headers: Record<string, string> = {};
  for (const [name, render] of listener.responseHeaders) headers[name] = headerSafe(render(context));
  let body = EMPTY;
  if (response.status !== 204 && listener.responseBody) {
    const rendered = listener.responseBody(context);
    body = Buffer.from(typeof rendered === 'string' ? rendered : JSON.stringify(rendered));
    headers['Content-Type'] = response.mediaType;
  }
  return { status: response.status, headers, body };
}

/** A duplicate (SPEC §9): the original's status and body, plus `Hookport-Duplicate: true`. */
export function duplicateReply(original: StoredResponse): Reply {
  return {
    outcome: 'duplicate',
    answer: { status: original.status, headers: { ...original.headers, 'Hookport-Duplicate': 'true' }, body: Buffer.from(original.body) },
  };
}

/**
 * The success response plus `Hookport-Filtered: true` for a request that queues
 * nothing, or `Hookport-Unrouted: true` for a shared listener's request that no
 * tenant claims (answered as a success so the sender does not retry forever).
 */
export function filteredReply(listener: RuntimeListener, context: ResponseContext, outcome: 'filtered' | 'unrouted' = 'filtered'): Reply {
  const success = renderSuccess(listener, context);
  const marker = outcome === 'unrouted' ? 'Hookport-Unrouted' : 'Hookport-Filtered';
  return { outcome, answer: { ...success, headers: { ...success.headers, [marker]: 'true' } } };
}

export interface AfterFlowDeps {
  store: Store;
  logger: Logger;
  afterFlow?: AfterFlowWaiter;
}

/**
 * The answer to an accepted job: `success` at once, or with `mode: afterFlow`
 * the wait for its flows — the template with the imports' results, 500 when a
 * flow failed, 202 when they take longer than `timeoutSeconds`.
 */
export async function respondAccepted(
  deps: AfterFlowDeps, listener: RuntimeListener, jobId: string, success: Answer, context: ResponseContext, dedupKey: string | undefined,
): Promise<Reply> {
  if (listener.settings.response.mode !== 'afterFlow' || !deps.afterFlow) return { outcome: 'accepted', answer: success };
  const outcome = await deps.afterFlow.wait(jobId, listener, listener.settings.response.timeoutSeconds * 1000);
  let reply: Reply;
  if (outcome.status === 'failed') {
    reply = { outcome: 'ERR_FLOW_FAILED', answer: problemResponse(new AppError('ERR_FLOW_FAILED', 'an import of this listener’s flows failed for this request'), context.requestId) };
  } else if (outcome.status === 'timeout') {
    const body = Buffer.from(JSON.stringify({ status: 'Accepted', requestId: context.requestId }));
    reply = { outcome: 'accepted-timeout', answer: { status: 202, headers: { 'Content-Type': 'application/json' }, body } };
  } else {
    reply = { outcome: 'accepted', answer: renderSuccess(listener, { ...context, imports: outcome.imports }) };
  }
  // A duplicate gets what this request was actually answered, which only now is known: recorded
  // before the answer goes out, so a duplicate sent right after it cannot see the earlier one.
  if (dedupKey) {
    await deps.store
      .updateDedupResponse(listener.id, dedupKey, toStoredResponse(reply.answer))
      .catch((error) => deps.logger.warn({ err: error, listenerId: listener.id }, 'could not record the afterFlow answer for duplicates'));
  }
  return reply;
}
