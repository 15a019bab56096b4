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
  /** The `detail` when the error is raised without one: what to do about it. */
  hint?: string;
}

function def(status: number, title: string, exposeDetail = true, hint?: string): ErrorDefinition {
  return hint === undefined ? { status, title, exposeDetail } : { status, title, exposeDetail, hint };
}

export const ERROR_CODES = {
  // ingestion (SPEC §3)
  ERR_LISTENER_NOT_FOUND: def(404, 'No listener at this URL', true,
    'listener URLs look like /hooks/{id}, where {id} is the 32 lowercase letters and digits of the listener\'s "url" ' +
    '(case-sensitive; a secret-URL listener adds /{secret}); webhooks go there, not to /api/v1/listeners/{id}'),
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
  ERR_TOO_MANY_RECORDS: def(413, 'Too many records'),
  // admin API (SPEC §14)
  ERR_AUTH_REQUIRED: def(401, 'Authentication required'),
  ERR_FORBIDDEN: def(403, 'Forbidden'),
  ERR_NOT_FOUND: def(404, 'Not found'),
  ERR_INVALID_REQUEST: def(400, 'Invalid request'),
  ERR_UNPROCESSABLE: def(422, 'Unprocessable request'),
  ERR_CONFLICT: def(409, 'Conflict'),
  ERR_ROUTE_NOT_FOUND: def(404, 'Route not found'),
  ERR_TOO_MANY_FAILED_AUTHENTICATIONS: def(429, 'Too many failed authentications'),
  // console (SPEC §15)
  ERR_CSRF_TOKEN: def(403, 'Form token missing or wrong'),
  // connections and attached webhooks (issue 14)
  ERR_CONNECTION_IN_USE: def(409, 'Connection in use'),
  ERR_CONNECTION_UID_TAKEN: def(409, 'Connection uid taken'),
  ERR_ATTACH_NOT_CONFIGURED: def(409, 'Listener has no attach settings'),
  ERR_ATTACH_FAILED: def(502, 'Partner API refused the webhook'),
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

/**
 * Longest `detail` (and field-error message) an error carries, in characters:
 * a detail quoting the input must not make the answer larger than the request
 * (#11 finding 8: 5 MB of `<a>` once got a 17 MB list of open tags back).
 */
export const MAX_DETAIL_CHARS = 1024;
/** Most field errors one problem lists. */
export const MAX_FIELD_ERRORS = 50;

/** Longest internal reason (debug logs only): room for a stack trace, never megabytes. */
const MAX_INTERNAL_REASON_CHARS = 8 * 1024;

function cap(text: string, max = MAX_DETAIL_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function capExtensions(extensions: Record<string, unknown>): Record<string, unknown> {
  const errors = extensions.errors;
  if (!Array.isArray(errors)) return extensions;
  const capped = errors.slice(0, MAX_FIELD_ERRORS).map((error: unknown) => {
    if (error === null || typeof error !== 'object') return error;
    const { path, message } = error as { path?: unknown; message?: unknown };
    return { ...error, ...(typeof path === 'string' ? { path: cap(path) } : {}), ...(typeof message === 'string' ? { message: cap(message) } : {}) };
  });
  return { ...extensions, errors: capped };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly internalReason: string | undefined;

  constructor(code: ErrorCode, uncappedDetail?: string, options: AppErrorOptions = {}) {
    const definition = ERROR_CODES[code];
    const detail = uncappedDetail === undefined ? undefined : cap(uncappedDetail);
    super(detail ?? definition.title, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = definition.status;
    this.title = definition.title;
    this.detail = detail;
    this.extensions = capExtensions(options.extensions ?? {});
    this.headers = options.headers ?? {};
    this.internalReason = options.internalReason === undefined ? undefined : cap(options.internalReason, MAX_INTERNAL_REASON_CHARS);
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
  const detail = definition.exposeDetail && error.detail ? error.detail : (definition.hint ?? error.title);
  return { type: problemType(error.code), title: error.title, status: error.status, detail, code: error.code, requestId, ...error.extensions };
}

/**
 * The one problem+json (RFC 9457) response of an error: status, the error's
 * headers plus Content-Type, and the body. The ingest path writes it with its
 * other headers in one writeHead; everything else through `renderProblem`.
 */
export function problemResponse(error: AppError, requestId: string): { status: number; headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(JSON.stringify(toProblem(error, requestId)));
  return { status: error.status, headers: { ...error.headers, 'Content-Type': 'application/problem+json' }, body };
}

/** Writes an error as problem+json on a Node response (the Express error middleware). */
export function renderProblem(res: ServerResponse, error: AppError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const { status, headers, body } = problemResponse(error, requestId);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.statusCode = status;
  res.setHeader('Content-Length', body.length);
  res.end(body);
}
