/**
 * `POST /api/v1/listeners/{id}/test-request` (SPEC §10): builds the request a
 * partner would send, signs it with the listener's verifier exactly as that
 * partner signs (`plugin.sign`), and sends it over HTTP to this very server. It
 * therefore passes every stage a real webhook passes — limiter, handshakes,
 * allowIps, verification, parsing, dedup, queueing — and an accepted test request
 * is a real job.
 *
 * What is handed back never shows a secret: credential and signature headers are
 * masked as in samples, and a secret the verifier put into the URL or the body
 * (secret_url, token) is replaced by the mask.
 */
import http from 'node:http';
import { AppError, type FieldError } from '../errors';
import { MASK, maskUrlQuery, redactionRules, scrubText, secretForms, type RedactionRules } from '../security/redact';
import { checkHeaderField, HEADER_NAME } from '../http/header-field';
import type { Sample } from '../store/store';
import type { OutgoingRequest, VerifierPlugin } from '../verification/plugin';
import { getVerifier } from '../../plugins/verifiers';
import type { ListenerState } from './listener-service';

export type TestMethod = 'POST' | 'PUT' | 'PATCH' | 'GET';

export interface TestRequestInput {
  method?: TestMethod;
  /** A string is sent byte for byte; anything else as JSON, or as a form for a form content type. */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** The query string, with or without the leading `?`. */
  query?: string;
}

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface ReceivedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  /** Parsed when the response is JSON, text otherwise, null when empty. */
  body: unknown;
}

export interface TestRequestResult {
  request: SentRequest;
  response: ReceivedResponse;
}

/** Where this server can be reached from itself. */
export interface SelfTarget {
  host: string;
  port: number;
}

export interface TestRequestContext {
  state: ListenerState;
  /** The listener's sample, the default body when the input has none. */
  sample: Sample | null;
  now: number;
  /** The listener URL without a secret segment (`{publicUrl}/hooks/{id}`): what is signed. */
  baseUrl: string;
  target: SelfTarget;
}

/** The listener as test-request needs it: its verifier, to sign, and what to mask in the reply. */
export interface SigningListener extends RedactionRules {
  verifier: VerifierPlugin;
  verification: Record<string, unknown> & { type: string };
}

function signingListener(state: ListenerState): SigningListener {
  const verification = state.settings.verification as SigningListener['verification'];
  const verifier = getVerifier(verification.type);
  return { verifier, verification, ...redactionRules(verifier, verification, state.settings.debug.redact) };
}

const DEFAULT_BODY = { test: true };
const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** Framing headers are hookport's to set: a wrong one would break the request, not test the listener. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'expect', 'te', 'trailer']);
/** The reply keeps at most this much of the response body. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

function invalid(errors: FieldError[]): AppError {
  return new AppError('ERR_INVALID_REQUEST', errors.map((e) => `${e.path} ${e.message}`).join('; '), { extensions: { errors } });
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function isJsonType(contentType: string | undefined): boolean {
  const type = mediaType(contentType);
  return type === JSON_TYPE || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Forms nest with brackets, as the form parser reads them (SPEC §7: `a[b]=1`); arrays repeat the key. */
function appendForm(params: URLSearchParams, name: string, value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) appendForm(params, name, item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) appendForm(params, name === '' ? key : `${name}[${key}]`, item);
  } else if (value !== undefined) {
    params.append(name, value === null ? '' : String(value));
  }
}

function encodeBody(value: unknown, contentType: string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (mediaType(contentType) === FORM_TYPE) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalid([{ path: '/body', message: 'must be an object to be sent as a form' }]);
    }
    const params = new URLSearchParams();
    appendForm(params, '', value);
    return Buffer.from(params.toString(), 'utf8');
  }
  if (!isJsonType(contentType)) {
    throw invalid([{ path: '/body', message: `must be a string to be sent as ${mediaType(contentType)}; objects are sent as JSON or as a form` }]);
  }
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** The body to send and its Content-Type: the caller's, else the sample's, else `{"test":true}`. */
function chooseBody(input: TestRequestInput, headerType: string | undefined, sample: Sample | null): { value: unknown; contentType: string } {
  const chosen = input.contentType ?? headerType;
  if (input.body !== undefined) return { value: input.body, contentType: chosen ?? JSON_TYPE };
  if (sample) {
    // The sample keeps the parsed body; its own Content-Type fits only when the body can be written in it again.
    const sampleType = sample.contentType ?? undefined;
    const reusable = typeof sample.body === 'string' || isJsonType(sampleType) || mediaType(sampleType) === FORM_TYPE;
    return { value: sample.body, contentType: chosen ?? (reusable && sampleType ? sampleType : JSON_TYPE) };
  }
  return { value: DEFAULT_BODY, contentType: chosen ?? JSON_TYPE };
}

/** Characters a query may carry as they are (RFC 3986 §3.4: pchar, "/", "?"), and "%" of a %XX escape. */
const QUERY_AS_IS = /[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2}/y;

/**
 * The query as it goes on the wire: control characters are refused (#11 finding
 * 12: they reached Node's HTTP client, which threw, and the API answered 500);
 * any other character a query may not hold (a space, "é", a lone "%") is
 * percent-encoded as UTF-8.
 */
function queryForRequest(query: string, errors: FieldError[]): string {
  if (/[\u0000-\u001f\u007f-\u009f]/.test(query)) {
    errors.push({ path: '/query', message: 'must not contain control characters; percent-encode them (%0A…)' });
    return '';
  }
  let encoded = '';
  for (let index = 0; index < query.length; ) {
    QUERY_AS_IS.lastIndex = index;
    const match = QUERY_AS_IS.exec(query);
    if (match) {
      encoded += match[0];
      index += match[0].length;
      continue;
    }
    const codePoint = query.codePointAt(index)!;
    const character = String.fromCodePoint(codePoint);
    encoded += /[\ud800-\udfff]/.test(character) ? '%EF%BF%BD' : encodeURIComponent(character); // a lone surrogate: U+FFFD
    index += character.length;
  }
  return encoded;
}

/** The request before signing. Throws ERR_INVALID_REQUEST naming the bad field. */
export function unsignedRequest(input: TestRequestInput, sample: Sample | null): OutgoingRequest {
  const method = input.method ?? 'POST';
  const headers: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) errors.push({ path: `/headers/${name}`, message: 'is not a valid header name' });
    else if (RESERVED_HEADERS.has(lower)) errors.push({ path: `/headers/${name}`, message: 'is set by hookport' });
    else {
      const problems = checkHeaderField(name, value, { name: `/headers/${name}`, value: `/headers/${name}` });
      if (problems.length > 0) errors.push(...problems);
      else headers[lower] = value;
    }
  }
  if (method === 'GET' && input.body !== undefined) errors.push({ path: '/body', message: 'cannot be sent with GET; put the data in query' });
  const query = queryForRequest((input.query ?? '').replace(/^\?/, ''), errors);
  if (errors.length > 0) throw invalid(errors);
  headers['user-agent'] ??= 'hookport-test-request';
  const pathSuffix = query === '' ? '' : `?${query}`;
  if (method === 'GET') return { method, pathSuffix, headers, body: Buffer.alloc(0) };

  const { value, contentType } = chooseBody(input, headers['content-type'], sample);
  headers['content-type'] = contentType;
  return { method, pathSuffix, headers, body: encodeBody(value, contentType) };
}

/** Signs as the partner would. A listener that cannot sign (every secret expired…) is a 422. */
export function signRequest(listener: SigningListener, request: OutgoingRequest, now: number, baseUrl: string): OutgoingRequest {
  try {
    return listener.verifier.sign(request, listener.verification, now, baseUrl);
  } catch (error) {
    throw new AppError('ERR_UNPROCESSABLE', `the listener's verifier cannot sign this request: ${(error as Error).message}`);
  }
}

/** The request as the reply shows it: credentials and signatures masked. */
export function describeRequest(listener: SigningListener, signed: OutgoingRequest, baseUrl: string): SentRequest {
  // Every form an echo could take, longest first, so a secret that contains another is masked whole.
  const secrets = secretForms(listener.secrets);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) {
    headers[name] = listener.sensitiveHeaders.has(name.toLowerCase()) ? MASK : scrubText(value, secrets);
  }
  return {
    method: signed.method,
    url: scrubText(maskUrlQuery(baseUrl + signed.pathSuffix, listener.sensitiveQuery), secrets),
    headers,
    body: scrubText(signed.body.toString('utf8'), secrets),
  };
}

function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return null;
  const text = body.toString('utf8');
  // application/problem+json is JSON too (a +json suffix).
  if (!isJsonType(contentType)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sends `request` to `path` on `target` and reads the whole answer (up to 1 MiB of body). */
export function sendRequest(target: SelfTarget, path: string, request: OutgoingRequest, timeoutMs: number): Promise<ReceivedResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers };
    if (request.body.length > 0 || request.method !== 'GET') headers['content-length'] = String(request.body.length);
    // agent: false — one connection, closed afterwards; nothing pooled outlives the admin request.
    const outgoing = http.request({ host: target.host, port: target.port, method: request.method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - size));
        size += chunk.length;
      });
      res.on('error', reject);
      res.on('end', () => {
        const responseHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) responseHeaders[name] = value;
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: decodeBody(Buffer.concat(chunks), res.headers['content-type']) });
      });
    });
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/**
 * This server as seen from the admin request's own socket: the address the
 * request arrived on. A wildcard is replaced by loopback, an IPv4-mapped IPv6
 * address by the IPv4 one.
 */
export function selfTarget(localAddress: string | undefined, localPort: number | undefined): SelfTarget {
  if (!localPort) throw new AppError('ERR_INTERNAL', undefined, { internalReason: 'test-request: the admin request has no local port' });
  let host = localAddress ?? '';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(host);
  if (mapped) host = mapped[1]!;
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  return { host, port: localPort };
}

/** Builds, signs, sends, and describes one test request. */
export async function runTestRequest(input: TestRequestInput, context: TestRequestContext): Promise<TestRequestResult> {
  // The same redaction rules the ingest path compiles, so masking uses exactly the listener's sensitive headers.
  const listener = signingListener(context.state);
  const signed = signRequest(listener, unsignedRequest(input, context.sample), context.now, context.baseUrl);
  // Long enough for a listener that answers after its flows (response.mode afterFlow).
  const timeoutMs = (context.state.settings.response.timeoutSeconds + 10) * 1000;
  let response: ReceivedResponse;
  try {
    response = await sendRequest(context.target, `/hooks/${context.state.id}${signed.pathSuffix}`, signed, timeoutMs);
  } catch (error) {
    throw new AppError('ERR_INTERNAL', undefined, { cause: error, internalReason: `test-request could not reach this server: ${(error as Error).message}` });
  }
  return { request: describeRequest(listener, signed, context.baseUrl), response };
}
