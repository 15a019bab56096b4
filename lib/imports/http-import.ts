/**
 * The HTTP import (SPEC §11): builds the request for a page (or one record, in
 * record mode) and sends it once. Retrying is the caller's business
 * (lib/flows/send-with-retry.ts); this file only says whether a failure is worth
 * retrying: network errors, timeouts, 429 and 5xx are; any other non-2xx is not.
 *
 * Requests go out through undici's `request` (keep-alive connections pooled per
 * origin), not `fetch`: the same engine without the WHATWG streams, Headers and
 * Response objects, about a third of fetch's CPU per request (issue 16).
 *
 * Private header values are in clear text only inside the request built here;
 * nothing in this file logs a request.
 */
import { hash } from 'node:crypto';
import { request as undiciRequest, type Dispatcher } from 'undici';
import type { Scheduler } from '../scheduler';
import type { ImportResponseDoc } from '../store/store';
import { captureAnswer } from './import-response';
import { scrubResponse } from './scrub-response';
import type { ImportRuntime } from './import-runtime';

/** What `bodyTemplate` and a templated `url` see (record mode adds `record` and `recordIndex`). */
export interface ImportTemplateContext {
  records: unknown[];
  page: { index: number; count: number; traceKeys: string[]; dataUris?: string[] | undefined };
  job: { id: string; seq: number; requestId: string; receivedAt: string; recordCount: number; meta: Record<string, unknown> };
  listener: { id: string; name: string };
  record?: unknown;
  recordIndex?: number;
}

export interface PreparedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The key in the idempotency header, or null when the import sends none. */
  idempotencyKey: string | null;
  /** The page's (or record's) key whether or not a header carries it: the Standard Webhooks `webhook-id`. */
  key: string | null;
}

export type AttemptResult =
  | { ok: true; response: ImportResponseDoc }
  | {
      ok: false;
      retryable: boolean;
      /** `http`, `network` or `timeout`. */
      kind: string;
      message: string;
      response: ImportResponseDoc | null;
      /** From the answer's Retry-After, when it had one. */
      retryAfterMs?: number;
    };

/** The import took longer than `timeoutSeconds`. */
export class ImportTimeoutError extends Error {
  constructor(seconds: number) {
    super(`no complete answer within ${seconds} s`);
    this.name = 'ImportTimeoutError';
  }
}

/** A request that cannot be built (a template fault, a URL that is not http(s)): never retried. */
export class ImportRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRequestError';
  }
}

/**
 * Stable for one page (or record) of one job through one import of one flow, so
 * a retry, or a page re-sent after a crash, carries the same key; and distinct
 * across flows, so fan-out to one destination is not taken for a duplicate.
 */
export function idempotencyKey(flowId: string, importId: string, jobId: string, pageIndex: number, recordIndex?: number): string {
  const parts = `${flowId}|${importId}|${jobId}|${pageIndex}${recordIndex === undefined ? '' : `|${recordIndex}`}`;
  // The one-shot hash: no Hash object per page.
  return hash('sha256', parts, 'hex').slice(0, 32);
}

/**
 * Builds one request. `recordsJson` is the page as stored, sent as is when the
 * import has no body template (page mode); record mode sends the record's JSON.
 * @throws ImportRequestError (templates that fail, a URL that is not http(s)).
 */
export function prepareRequest(runtime: ImportRuntime, context: ImportTemplateContext, recordsJson: string | undefined, key: string | null): PreparedRequest {
  const { settings } = runtime.state;
  let url = settings.url;
  let body: string | undefined;
  try {
    if (runtime.url) url = runtime.url(context).trim();
    if (settings.method !== 'GET') {
      if (runtime.body) body = runtime.body(context);
      else if (context.record !== undefined || context.recordIndex !== undefined) body = JSON.stringify(context.record ?? null);
      else body = recordsJson ?? JSON.stringify(context.records);
    }
  } catch (error) {
    throw new ImportRequestError((error as Error).message);
  }
  if (!/^https?:\/\/\S+$/i.test(url)) throw new ImportRequestError(`the url renders to ${JSON.stringify(url.slice(0, 200))}, not an http(s) URL`);
  const headers: Record<string, string> = {};
  for (const header of settings.headers) headers[header.name] = header.value;
  const has = (name: string) => Object.keys(headers).some((h) => h.toLowerCase() === name.toLowerCase());
  if (body !== undefined && !has('content-type')) headers['Content-Type'] = 'application/json';
  if (!has('user-agent')) headers['User-Agent'] = 'hookport';
  if (settings.idempotencyHeader && key) headers[settings.idempotencyHeader] = key;
  return { url, method: settings.method, headers, body, idempotencyKey: settings.idempotencyHeader ? key : null, key };
}

/** `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function networkMessage(error: unknown): string {
  const failure = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const coded = failure.cause?.code ? failure.cause : failure;
  return coded.code ? `${coded.code}: ${coded.message ?? ''}`.trim() : String(failure.message ?? error);
}

/** One header of undici's answer (lower-case names; a repeated header is an array). */
function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | null {
  const value = headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Ends the timeout's sleep once the answer is in (a constant reason: no DOMException built per request). */
const ANSWERED = new Error('answered');

export interface SendOptions {
  scheduler: Scheduler;
  now: () => number;
  /** Aborts the request (shutdown, a paused flow): the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * Sends once, with the import's timeout on the injected scheduler. Redirects
 * are not followed (a 3xx is a failure): following one would send the body and
 * private headers to another address than the one configured.
 */
export async function sendRequest(runtime: ImportRuntime, request: PreparedRequest, options: SendOptions): Promise<AttemptResult> {
  const { timeoutSeconds } = runtime.state.settings;
  const controller = new AbortController();
  const { signal } = controller;
  const onOuterAbort = () => controller.abort(options.signal!.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) onOuterAbort();
  // One controller ends both the request and its timeout's sleep (ANSWERED, once the answer is read).
  options.scheduler
    .sleep(timeoutSeconds * 1000, { signal, reason: 'timeout' })
    .then(() => controller.abort(new ImportTimeoutError(timeoutSeconds)), () => undefined);
  try {
    // undici's own timeouts are off: the import's timeoutSeconds (on the injected scheduler) governs.
    const response = await undiciRequest(request.url, {
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const answer = { status: response.statusCode, header: (name: string) => headerOf(response.headers, name), body: response.body };
    // Never keep a private value a destination echoed back (errors, flow tests, afterFlow replies).
    const captured = scrubResponse(await captureAnswer(answer), runtime.privateForms);
    if (captured.status >= 200 && captured.status < 300) return { ok: true, response: captured };
    const retryable = captured.status === 429 || captured.status >= 500;
    // Retry-After means "come back then" on a 429 or 503 (RFC 9110 §10.2.3, RFC 6585 §4); elsewhere it is ignored.
    const honoured = captured.status === 429 || captured.status === 503;
    const retryAfterMs = honoured ? parseRetryAfter(captured.headers['retry-after'], options.now()) : undefined;
    return {
      ok: false, retryable, kind: 'http', message: `the destination answered ${captured.status}`, response: captured,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (signal.reason instanceof ImportTimeoutError) {
      return { ok: false, retryable: true, kind: 'timeout', message: signal.reason.message, response: null };
    }
    return { ok: false, retryable: true, kind: 'network', message: networkMessage(error), response: null };
  } finally {
    controller.abort(ANSWERED);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
}
