/**
 * The one registry of coded errors. Every error a client can see has a stable
 * `code`, an HTTP status and a title; `docs/errors.md` documents each code (a test
 * checks that). Rendering to RFC 9457 problem+json happens in `renderProblem`.
 */
import type { ServerResponse } from 'node:http';

export interface ErrorDefinition {
  status: number;
  title: string;
  /** Whether `detail` may be shown to the caller. False for verification failures. */
  exposeDetail: boolean;
}

function def(status: number, title: string, exposeDetail = true): ErrorDefinition {
  return { status, title, exposeDetail };
}

export const ERROR_CODES = {
  // ingestion (SPEC §3)
  ERR_LISTENER_NOT_FOUND: def(404, 'No listener at this URL'),
  ERR_LISTENER_DELETED: def(410, 'Listener deleted'),
  ERR_METHOD_NOT_ALLOWED: def(405, 'Method not allowed'),
  ERR_RATE_LIMITED: def(429, 'Rate limit exceeded'),
  ERR_PAYLOAD_TOO_LARGE: def(413, 'Payload too large'),
  ERR_UNAUTHORIZED: def(401, 'Unauthorized', false),
  ERR_UNSUPPORTED_MEDIA_TYPE: def(415, 'Unsupported media type'),
  ERR_MALFORMED_BODY: def(400, 'Malformed body'),
  ERR_VALIDATION_FAILED: def(400, 'Validation failed'),
  ERR_NO_RECORDS: def(400, 'No records at resource path'),
  ERR_QUEUE_FULL: def(503, 'Queue is full.'),
  ERR_STORE_UNAVAILABLE: def(503, 'Temporarily unavailable'),
  ERR_FLOW_FAILED: def(500, 'Flow failed to complete.'),
  ERR_REQUEST_TIMEOUT: def(408, 'Request timeout'),
  // admin API (SPEC §14)
  ERR_AUTH_REQUIRED: def(401, 'Authentication required'),
  ERR_FORBIDDEN: def(403, 'Forbidden'),
  ERR_NOT_FOUND: def(404, 'Not found'),
  ERR_INVALID_REQUEST: def(400, 'Invalid request'),
  ERR_UNPROCESSABLE: def(422, 'Unprocessable request'),
  ERR_CONFLICT: def(409, 'Conflict'),
  ERR_ROUTE_NOT_FOUND: def(404, 'Route not found'),
  // connections and attached webhooks (issue 14)
  ERR_CONNECTION_IN_USE: def(409, 'Connection in use'),
  ERR_CONNECTION_UID_TAKEN: def(409, 'Connection uid taken'),
  // anything unexpected
  ERR_INTERNAL: def(500, 'Internal server error', false),
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem in a request body or setting: where it is and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** Extra members of the problem document, e.g. `errors` for validation failures. */
  extensions?: Record<string, unknown>;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
  /** Never shown to the caller; recorded in debug logs (e.g. why a signature failed). */
  internalReason?: string;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly internalReason: string | undefined;

  constructor(code: ErrorCode, detail?: string, options: AppErrorOptions = {}) {
    const definition = ERROR_CODES[code];
    super(detail ?? definition.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = definition.status;
    this.title = definition.title;
    this.detail = detail;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
    this.internalReason = options.internalReason;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Turns any thrown value into an AppError; unknown errors become ERR_INTERNAL. */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  return new AppError('ERR_INTERNAL', undefined, { cause: value, internalReason: String((value as Error)?.stack ?? value) });
}

export function problemType(code: ErrorCode): string {
  return `https://hookport.dev/problems/${code.slice(4).toLowerCase().replace(/_/g, '-')}`;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  [extension: string]: unknown;
}

export function toProblem(error: AppError, requestId: string): ProblemDocument {
  const definition = ERROR_CODES[error.code];
  const detail = definition.exposeDetail && error.detail ? error.detail : error.title;
  return { type: problemType(error.code), title: error.title, status: error.status, detail, code: error.code, requestId, ...error.extensions };
}

/**
 * Writes an error as problem+json on a raw Node response. Used by the ingest
 * handler (which does not go through Express) and by the Express error middleware.
 */
export function renderProblem(res: ServerResponse, error: AppError, requestId: string): ProblemDocument {
  const problem = toProblem(error, requestId);
  const body = JSON.stringify(problem);
  if (!res.headersSent) {
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.statusCode = error.status;
    res.setHeader('Content-Type', 'application/problem+json');
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  } else {
    res.destroy();
  }
  return problem;
}
