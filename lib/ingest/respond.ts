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

export function writeProblem(res: ServerResponse, error: AppError, requestId: string, extraHeaders: Record<string, string>): ExchangeResponse {
  const body = Buffer.from(JSON.stringify(toProblem(error, requestId)));
  const headers = { ...extraHeaders, ...error.headers, 'Content-Type': 'application/problem+json' };
  return write(res, requestId, error.status, headers, body);
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
export function renderSuccess(listener: RuntimeListener, context: ResponseContext): { status: number; headers: Record<string, string>; body: Buffer } {
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
