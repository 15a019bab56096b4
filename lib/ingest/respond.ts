/**
 * Writing responses on the raw Node response object: the listener's success
 * response (SPEC §12), problem+json errors, and handshake replies. Each returns
 * exactly what it wrote, for debug capture.
 */
import type { ServerResponse } from 'node:http';
import { toProblem, type AppError } from '../errors';
import type { ExchangeResponse } from './exchange';
import type { RuntimeListener } from './runtime-listener';

const EMPTY = Buffer.alloc(0);

/**
 * Writes status, headers and body in one `writeHead` with a flat header list —
 * the cheapest way through Node's HTTP layer — adding X-Request-Id.
 */
export function write(res: ServerResponse, requestId: string, status: number, headers: Record<string, string>, body: Buffer): ExchangeResponse {
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

/** A response not yet written: what a listener or an error answers, before the limiter's headers. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** An error as problem+json (RFC 9457). */
export function problemAnswer(error: AppError, requestId: string): Answer {
  const body = Buffer.from(JSON.stringify(toProblem(error, requestId)));
  return { status: error.status, headers: { ...error.headers, 'Content-Type': 'application/problem+json' }, body };
}

export function writeProblem(res: ServerResponse, error: AppError, requestId: string, extraHeaders: Record<string, string>): ExchangeResponse {
  const answer = problemAnswer(error, requestId);
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
