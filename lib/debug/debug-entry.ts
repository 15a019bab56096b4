/**
 * Turns one Exchange into what a debug log entry stores (SPEC §13), redacted
 * (see redact.ts). Runs after the response was written and off the request's
 * own path (debug-capture.ts batches it), so the work here never delays a
 * webhook response.
 */
import type { Exchange } from '../ingest/exchange';
import { maskedHookPath } from '../ingest/hook-path';
import type { RuntimeListener } from '../ingest/runtime-listener';
import { parseBody } from '../parsers';
import { captureParsed, captureRaw, type CapturedBody } from './capture-body';
import { flatQuery, maskBodyPaths, redactHeaders, redactQuery, Scrubber, secretValues } from '../security/redact';

/** The fields of a stored entry, field by field in docs/debug-logs.md. */
export interface DebugEntryData {
  requestId: string;
  method: string;
  /** `/hooks/{id}`, with `/****` in place of a secret segment; never the query string. */
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[]>;
  /** Null when the body was never read (refused before reading, or too large). */
  body: CapturedBody | null;
  /** Set when redacting the body failed: the body was then left out rather than stored unmasked. */
  bodyOmitted?: string;
  verification: { ok: boolean; reason: string | null } | null;
  parse: { ok: boolean; error: string | null } | null;
  recordCount: number | null;
  jobId: string | null;
  /** `accepted`, `duplicate`, `filtered`, `handshake`, `aborted`, or the error code. */
  outcome: string;
  /** Why the request was refused, in full (the partner saw only the status and title). */
  reason: string | null;
  response: { status: number; headers: Record<string, string | string[]>; body: CapturedBody | null };
  durationMs: number;
}

export async function buildEntryData(exchange: Exchange, listener: RuntimeListener): Promise<DebugEntryData> {
  const { req } = exchange;
  const target = exchange.target;
  const rawQuery = flatQuery(target?.queryString ?? '');
  const raw = exchange.rawBody;
  const bodyPaths = listener.sensitiveBodyPaths;
  const parsed = raw && raw.length > 0 && bodyPaths.length > 0 ? await parsedForRedaction(exchange, listener, raw) : undefined;
  const queryIsBody = req.method === 'GET' && (raw === undefined || raw.length === 0);

  const scrubber = new Scrubber(
    secretValues(listener, {
      headers: req.headers,
      query: rawQuery,
      pathSecret: target?.pathSecret,
      body: parsed ?? (queryIsBody ? rawQuery : undefined),
    }),
  );

  let query = redactQuery(rawQuery, listener.sensitiveQuery, scrubber);
  let body: CapturedBody | null = null;
  let bodyOmitted: string | undefined;
  try {
    if (queryIsBody && bodyPaths.length > 0) query = maskBodyPaths(query, bodyPaths) as typeof query;
    if (raw) body = captureBody(raw, parsed, bodyPaths, scrubber);
  } catch (error) {
    bodyOmitted = `the body could not be redacted (${scrubber.text((error as Error).message)}), so it was not kept`;
    body = null;
  }

  const verification = exchange.verification
    ? { ok: exchange.verification.ok, reason: exchange.verification.reason === undefined ? null : scrubber.text(exchange.verification.reason) }
    : null;
  const parse = exchange.parse ? { ok: exchange.parse.ok, error: exchange.parse.error === undefined ? null : scrubber.text(exchange.parse.error) } : null;
  const reason = reasonOf(exchange);

  return {
    requestId: exchange.requestId,
    method: req.method ?? '',
    path: target ? scrubber.text(maskedHookPath(target)) : '',
    query,
    headers: redactHeaders(req.headers, listener.sensitiveHeaders, scrubber),
    body,
    ...(bodyOmitted === undefined ? {} : { bodyOmitted }),
    verification,
    parse,
    recordCount: exchange.recordCount ?? null,
    jobId: exchange.jobId ?? null,
    outcome: exchange.outcome,
    reason: reason === null ? null : scrubber.text(reason),
    response: {
      status: exchange.response.status,
      headers: redactHeaders(exchange.response.headers, listener.sensitiveHeaders, scrubber),
      body: exchange.response.body.length > 0 ? captureRaw(exchange.response.body, scrubber) : null,
    },
    durationMs: Math.round(exchange.durationMs * 1000) / 1000,
  };
}

/**
 * The parsed body, to find the values at the redact paths. The ingest path's own
 * parse is reused when it ran; a request refused before parsing (401, 429…) is
 * parsed here, because its body may carry the same personal data.
 */
async function parsedForRedaction(exchange: Exchange, listener: RuntimeListener, raw: Buffer): Promise<unknown> {
  if (exchange.parse?.ok && !listener.settings.parsing.passThrough) return exchange.body;
  try {
    return await parseBody(raw, exchange.req.headers['content-type'], listener.parseLimits);
  } catch {
    // It does not parse: the raw text is kept, with known secret values scrubbed.
    return undefined;
  }
}

/** The raw bytes, unless a redact path matched: then the parsed body with those values masked, as JSON. */
function captureBody(raw: Buffer, parsed: unknown, paths: readonly string[], scrubber: Scrubber): CapturedBody {
  if (parsed !== undefined) {
    const masked = maskBodyPaths(parsed, paths);
    if (masked !== parsed) return captureParsed(JSON.stringify(masked) ?? 'null', raw.length, scrubber);
  }
  return captureRaw(raw, scrubber);
}

function reasonOf(exchange: Exchange): string | null {
  if (exchange.verification && !exchange.verification.ok) return exchange.verification.reason ?? 'verification failed';
  if (exchange.parse && !exchange.parse.ok) return exchange.parse.error ?? 'the body did not parse';
  if (exchange.response.status < 400) return null;
  try {
    const problem = JSON.parse(exchange.response.body.toString('utf8')) as { detail?: unknown };
    return typeof problem.detail === 'string' ? problem.detail : null;
  } catch {
    return null;
  }
}
