/**
 * `hmac`: a keyed digest of the request in a header (SPEC §4). The default signed
 * content is the raw body; `signedContent` adds a timestamp, the URL, headers or
 * query parameters (see signed-content.ts). Several presets are this verifier
 * with fixed settings (presets/github.ts, slack.ts, …).
 *
 * The signature header may carry several signatures separated by commas or
 * spaces (senders do that while rotating keys); any one matching any active key
 * passes. With `timestampHeader`, `signedContent` must sign `{timestamp}` and the
 * timestamp must be within `toleranceSeconds` (default 300) of now in either
 * direction. Timestamps are Unix seconds; 13+ digit values are read as
 * milliseconds (see timestamp.ts).
 */
import { Type } from '@sinclair/typebox';
import { safeEqualAny } from '../../lib/security/constant-time';
import { headerValue, queryValue, searchParamsOf } from './headers';
import { canonicalSignature, DIGEST_ENCODINGS, encodeDigest, hmacDigest, HMAC_ALGORITHMS, type DigestEncoding, type HmacAlgorithm } from './hmac-digest';
import { headerName, secretList, stringEnum } from './schema';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../lib/verification/secrets';
import { parseSignedContent, renderSignedContent, usesTimestamp, type Segment } from './signed-content';
import { checkTolerance, readTimestamp, unixSeconds } from './timestamp';
import type { OutgoingRequest, Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export const DEFAULT_TOLERANCE_SECONDS = 300;
const DEFAULT_SIGNED_CONTENT = '{body}';

export interface HmacConfig {
  type: 'hmac';
  algorithm: HmacAlgorithm;
  encoding: DigestEncoding;
  header: string;
  keys: Secret[];
  prefix?: string;
  signedContent?: string;
  timestampHeader?: string;
  toleranceSeconds?: number;
}

/** The hmac settings without the keys: what a preset fixes as data. */
export type HmacScheme = Omit<HmacConfig, 'type' | 'keys'>;

const configSchema = Type.Object(
  {
    type: Type.Literal('hmac'),
    algorithm: stringEnum(HMAC_ALGORITHMS),
    encoding: stringEnum(DIGEST_ENCODINGS),
    header: headerName('The header that carries the signature, e.g. X-Hub-Signature-256'),
    keys: secretList(1),
    prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Text before the digest, e.g. sha256=' })),
    signedContent: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'e.g. v0:{timestamp}:{body}' })),
    timestampHeader: Type.Optional(headerName('The header that carries the signing time (Unix seconds)')),
    toleranceSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 604800 })),
  },
  { additionalProperties: false },
);

function fail(reason: string): VerifyResult {
  return { ok: false, reason };
}

/** Parsed templates by source: a listener's template is parsed once, not per request. */
const parsedTemplates = new Map<string, Segment[]>();
const MAX_PARSED_TEMPLATES = 1_000;

function segmentsOf(config: HmacConfig): Segment[] {
  const source = config.signedContent ?? DEFAULT_SIGNED_CONTENT;
  const cached = parsedTemplates.get(source);
  if (cached) return cached;
  const parsed = parseSignedContent(source);
  // check() refuses bad templates when the listener is saved; reaching this is a bug, not a bad request.
  if (!parsed.ok) throw new Error(`Invalid signedContent reached the hmac verifier: ${parsed.error}`);
  if (parsedTemplates.size >= MAX_PARSED_TEMPLATES) parsedTemplates.clear();
  parsedTemplates.set(source, parsed.segments);
  return parsed.segments;
}

/** The signatures in a header value, prefix removed, in canonical spelling. */
export function extractSignatures(value: string, prefix: string | undefined, encoding: DigestEncoding): string[] {
  // A prefix such as "v1," contains a separator itself; then only whitespace separates signatures.
  const separator = prefix !== undefined && prefix.includes(',') ? /\s+/ : /[\s,]+/;
  let tokens = value.split(separator).filter((token) => token.length > 0);
  if (prefix !== undefined) tokens = tokens.filter((token) => token.startsWith(prefix)).map((token) => token.slice(prefix.length));
  return tokens.filter((token) => token.length > 0).map((token) => canonicalSignature(token, encoding));
}

function computeSignature(config: HmacConfig, key: string, content: Buffer): string {
  return encodeDigest(hmacDigest(config.algorithm, key, [content]), config.encoding);
}

function verify(context: VerifyContext, config: HmacConfig): VerifyResult {
  const header = config.header.toLowerCase();
  const value = headerValue(context.headers, header);
  if (value === undefined || value.trim().length === 0) return fail(`missing signature header ${header}`);
  const signatures = extractSignatures(value, config.prefix, config.encoding);
  if (signatures.length === 0) {
    return fail(config.prefix === undefined ? `signature header ${header} is empty` : `signature header ${header} has no signature starting with "${config.prefix}"`);
  }

  let timestamp: string | undefined;
  if (config.timestampHeader !== undefined) {
    const timestampHeader = config.timestampHeader.toLowerCase();
    const raw = headerValue(context.headers, timestampHeader);
    const parsed = readTimestamp(raw, `header ${timestampHeader}`, true);
    if (!parsed.ok) return fail(parsed.reason);
    const outside = checkTolerance(parsed.seconds, context.now(), config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
    if (outside !== undefined) return fail(outside);
    timestamp = raw!.trim();
  }

  const rendered = renderSignedContent(segmentsOf(config), {
    body: context.rawBody,
    timestamp,
    url: context.url,
    header: (name) => headerValue(context.headers, name),
    query: (name) => queryValue(context.query, name),
  });
  if (!rendered.ok) return fail(rendered.reason);

  const match = matchSecrets(config.keys, context.now(), (secret) => safeEqualAny(computeSignature(config, secret.value, rendered.content), signatures));
  if (match === 'active') return { ok: true };
  if (match === 'expired') return fail(SECRET_EXPIRED);
  return fail(`signature mismatch: none of ${signatures.length} signature(s) in ${header} matches an active key`);
}

function sign(request: OutgoingRequest, config: HmacConfig, now: number, publicUrl: string): OutgoingRequest {
  const secret = firstActiveSecret(config.keys, now);
  const headers: Record<string, string> = { ...request.headers };
  let timestamp: string | undefined;
  if (config.timestampHeader !== undefined) {
    timestamp = String(unixSeconds(now));
    headers[config.timestampHeader.toLowerCase()] = timestamp;
  }
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const url = publicUrl + request.pathSuffix;
  const query = searchParamsOf(url);
  const rendered = renderSignedContent(segmentsOf(config), {
    body: request.body,
    timestamp,
    url,
    header: (name) => byName.get(name),
    query: (name) => query.get(name) ?? undefined,
  });
  if (!rendered.ok) throw new Error(`Cannot sign: ${rendered.reason}`);
  headers[config.header.toLowerCase()] = (config.prefix ?? '') + computeSignature(config, secret.value, rendered.content);
  return { ...request, headers };
}

function check(config: HmacConfig): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  const parsed = parseSignedContent(config.signedContent ?? DEFAULT_SIGNED_CONTENT);
  if (!parsed.ok) errors.push({ path: '/signedContent', message: parsed.error });
  else if (usesTimestamp(parsed.segments) && config.timestampHeader === undefined) {
    errors.push({ path: '/signedContent', message: 'uses {timestamp}, which needs timestampHeader' });
  } else if (!usesTimestamp(parsed.segments) && config.timestampHeader !== undefined) {
    // An unsigned timestamp is only a header: a captured signature replays forever under a fresh one.
    errors.push({ path: '/signedContent', message: 'must contain {timestamp} when timestampHeader is set, so the timestamp is signed' });
  }
  if (config.toleranceSeconds !== undefined && config.timestampHeader === undefined) {
    errors.push({ path: '/toleranceSeconds', message: 'has no effect without timestampHeader' });
  }
  if (config.prefix !== undefined && /\s/.test(config.prefix)) {
    errors.push({ path: '/prefix', message: 'must not contain whitespace (it separates signatures)' });
  }
  return errors;
}

export const hmacVerifier: VerifierPlugin<HmacConfig> = {
  name: 'hmac',
  configSchema,
  secretFields: ['keys'],
  check,
  verify,
  sign,
  sensitiveHeaders: (config) => [config.header.toLowerCase()],
};
