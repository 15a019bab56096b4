/**
 * What the `hmac` and `hash` verifiers share: where the signature and the
 * timestamp are read from, the replay check, the signed-content template, and
 * any-of matching of several signatures against several secrets. The verifiers
 * differ only in the digest (keyed HMAC, or a plain hash over text that
 * includes the secret).
 *
 * Signatures come from `header` (and `additionalHeaders`, for senders that put
 * one signature per active key in numbered headers: DocuSign, Box, Hookdeck).
 * A header holds either
 * - signatures after an optional `prefix`, separated by commas or spaces
 *   (`sha256=<hex>`, `v1=<hex>,v1=<hex>` while a key rolls), or
 * - `signatureItems`: `key<assign>value` items between separators, e.g.
 *   `t=…,v1=…,v1=…` (Stripe), `ts=…;h1=…` (Paddle), `v1,<b64> v1,<b64>`
 *   (Standard Webhooks). Items with `signatureKey` are signatures, any of which
 *   may match; the item with `timestampKey` is the signed timestamp.
 *
 * A timestamp comes from `timestampHeader`, the `timestampKey` item, or a field
 * of the JSON body (`timestampBodyPath`, e.g. Linear's `webhookTimestamp`; the
 * body is signed, so the field is too). It is Unix seconds, milliseconds or
 * RFC 3339 (`timestampFormat`); outside `toleranceSeconds` (default 300) of now,
 * in either direction, the request fails with the reason.
 *
 * This module does not know keys: the verifier passes a `digest` function. The
 * settings' types, schema and save-time checks are in digest-settings.ts.
 */
import { randomBytes } from 'node:crypto';
import { safeEqualAny } from '../../lib/security/constant-time';
import { parseBodyPath, valueAt } from './body-path';
import { headerValue, queryValue, searchParamsOf } from './headers';
import { canonicalSignature, encodeDigest, type DigestEncoding } from './hmac-digest';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../lib/verification/secrets';
import { parseSignedContent, renderSignedContent, type Segment, type SignedContentValues } from './signed-content';
import { checkTolerance, formatTimestamp, readTimestamp } from './timestamp';
import type { OutgoingRequest, Secret, VerifyContext, VerifyResult } from '../../lib/verification/plugin';
import { DEFAULT_SIGNED_CONTENT, DEFAULT_TOLERANCE_SECONDS, type DigestSettings, type SignatureItems } from './digest-settings';

export * from './digest-settings';

/** Parsed templates by source: a listener's template is parsed once, not per request. */
const parsedTemplates = new Map<string, Segment[]>();
const MAX_PARSED_TEMPLATES = 1_000;

export function segmentsOf(settings: { signedContent?: string }): Segment[] {
  const source = settings.signedContent ?? DEFAULT_SIGNED_CONTENT;
  const cached = parsedTemplates.get(source);
  if (cached) return cached;
  const parsed = parseSignedContent(source);
  // check() refuses bad templates when the listener is saved; reaching this is a bug, not a bad request.
  if (!parsed.ok) throw new Error(`Invalid signedContent reached a verifier: ${parsed.error}`);
  if (parsedTemplates.size >= MAX_PARSED_TEMPLATES) parsedTemplates.clear();
  parsedTemplates.set(source, parsed.segments);
  return parsed.segments;
}

/** The signatures in a header value, prefix removed, in canonical spelling. */
export function extractSignatures(value: string, prefix: string | undefined, encoding: DigestEncoding): string[] {
  // A prefix ending in a space is an authorization scheme (`HMAC <base64>`, Microsoft Teams): one signature follows it.
  if (prefix !== undefined && prefix.endsWith(' ')) {
    const trimmed = value.trim();
    const rest = trimmed.slice(prefix.length).trim();
    return trimmed.startsWith(prefix) && rest.length > 0 ? [canonicalSignature(rest, encoding)] : [];
  }
  // A prefix such as "v1," contains a separator itself; then only whitespace separates signatures.
  const separator = prefix !== undefined && prefix.includes(',') ? /\s+/ : /[\s,]+/;
  let tokens = value.split(separator).filter((token) => token.length > 0);
  if (prefix !== undefined) tokens = tokens.filter((token) => token.startsWith(prefix)).map((token) => token.slice(prefix.length));
  return tokens.filter((token) => token.length > 0).map((token) => canonicalSignature(token, encoding));
}

/** The items of a `key=value` list header: every value per key, in order. */
export function parseItems(value: string, items: SignatureItems): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const raw of value.split(items.separator)) {
    const item = raw.trim();
    const at = item.indexOf(items.assign);
    if (at <= 0) continue;
    const key = item.slice(0, at).trim();
    const itemValue = item.slice(at + 1).trim();
    if (itemValue.length === 0) continue;
    result.set(key, [...(result.get(key) ?? []), itemValue]);
  }
  return result;
}

interface ReadSignatures {
  signatures: string[];
  /** The `timestampKey` item of the first header, as sent. */
  itemTimestamp: string | undefined;
}

function readSignatures(context: VerifyContext, settings: DigestSettings): ReadSignatures | { reason: string } {
  const names = [settings.header, ...(settings.additionalHeaders ?? [])].map((name) => name.toLowerCase());
  const signatures: string[] = [];
  let itemTimestamp: string | undefined;
  let present = 0;
  for (const name of names) {
    const value = headerValue(context.headers, name);
    if (value === undefined || value.trim().length === 0) continue;
    present++;
    if (settings.signatureItems) {
      const items = parseItems(value, settings.signatureItems);
      signatures.push(...(items.get(settings.signatureItems.signatureKey) ?? []).map((signature) => canonicalSignature(signature, settings.encoding)));
      if (itemTimestamp === undefined && settings.signatureItems.timestampKey !== undefined) itemTimestamp = items.get(settings.signatureItems.timestampKey)?.[0];
    } else {
      signatures.push(...extractSignatures(value, settings.prefix, settings.encoding));
    }
  }
  const header = names[0]!;
  if (present === 0) return { reason: `missing signature header ${header}` };
  if (signatures.length === 0) {
    if (settings.signatureItems) return { reason: `signature header ${header} has no ${settings.signatureItems.signatureKey} item` };
    return { reason: settings.prefix === undefined ? `signature header ${header} is empty` : `signature header ${header} has no signature starting with "${settings.prefix}"` };
  }
  return { signatures, itemTimestamp };
}

type Timestamp = { ok: true; raw: string | undefined } | { ok: false; reason: string };

function bodyTimestamp(body: unknown, path: string): string | undefined {
  const segments = parseBodyPath(path);
  const value = segments ? valueAt(body, segments) : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' ? value : undefined;
}

function checkTimestamp(raw: string | undefined, source: string, settings: DigestSettings, now: number): Timestamp {
  const parsed = readTimestamp(raw, source, true, settings.timestampFormat ?? 'unix');
  if (!parsed.ok) return parsed;
  const outside = checkTolerance(parsed.seconds, now, settings.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
  if (outside !== undefined) return { ok: false, reason: outside };
  return { ok: true, raw: raw!.trim() };
}

/** Computes the raw digest of the request for one secret; `values` are what the template may read. */
export type DigestFunction = (secret: string, values: SignedContentValues, segments: readonly Segment[]) => Buffer | undefined;

function requestValues(context: VerifyContext, timestamp: string | undefined): SignedContentValues {
  return {
    body: context.rawBody,
    timestamp,
    url: context.url,
    method: context.method,
    header: (name) => headerValue(context.headers, name),
    query: (name) => queryValue(context.query, name),
  };
}

function matchDigests(context: VerifyContext, settings: DigestSettings, secrets: readonly Secret[], digest: DigestFunction, read: ReadSignatures, timestamp: string | undefined): VerifyResult {
  const values = requestValues(context, timestamp);
  const segments = segmentsOf(settings);
  // Rendered once without a secret so that a missing header or timestamp is reported as such.
  const rendered = renderSignedContent(segments, { ...values, secret: Buffer.alloc(0) });
  if (!rendered.ok) return { ok: false, reason: rendered.reason };
  const match = matchSecrets(secrets, context.now(), (secret) => {
    const computed = digest(secret.value, values, segments);
    return computed !== undefined && safeEqualAny(encodeDigest(computed, settings.encoding), read.signatures);
  });
  if (match === 'active') return { ok: true };
  if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
  return { ok: false, reason: `signature mismatch: none of ${read.signatures.length} signature(s) in ${settings.header.toLowerCase()} matches an active key` };
}

/**
 * Verifies a request against `secrets`. Synchronous unless the timestamp is a
 * body field (the body is parsed on demand).
 */
export function verifyDigest(context: VerifyContext, settings: DigestSettings, secrets: readonly Secret[], digest: DigestFunction): VerifyResult | Promise<VerifyResult> {
  const read = readSignatures(context, settings);
  if ('reason' in read) return { ok: false, reason: read.reason };
  if (settings.timestampBodyPath !== undefined) {
    const path = settings.timestampBodyPath;
    return context.body().then(
      (body) => {
        const timestamp = checkTimestamp(bodyTimestamp(body, path), `body ${path}`, settings, context.now());
        return timestamp.ok ? matchDigests(context, settings, secrets, digest, read, timestamp.raw) : timestamp;
      },
      () => ({ ok: false, reason: `the body does not parse, so it has no timestamp at ${path}` }),
    );
  }
  let timestamp: string | undefined;
  if (settings.timestampHeader !== undefined) {
    const name = settings.timestampHeader.toLowerCase();
    const checked = checkTimestamp(headerValue(context.headers, name), `header ${name}`, settings, context.now());
    if (!checked.ok) return checked;
    timestamp = checked.raw;
  } else if (settings.signatureItems?.timestampKey !== undefined) {
    const checked = checkTimestamp(read.itemTimestamp, `${settings.header.toLowerCase()} ${settings.signatureItems.timestampKey}=`, settings, context.now());
    if (!checked.ok) return checked;
    timestamp = checked.raw;
  }
  return matchDigests(context, settings, secrets, digest, read, timestamp);
}

/** Signs `request` as a partner using these settings would, with the first active secret. */
export function signDigest(request: OutgoingRequest, settings: DigestSettings, secrets: readonly Secret[], digest: DigestFunction, now: number, publicUrl: string): OutgoingRequest {
  const secret = firstActiveSecret(secrets, now);
  const headers: Record<string, string> = { ...request.headers };
  const items = settings.signatureItems;
  let timestamp: string | undefined;
  if (settings.timestampHeader !== undefined || items?.timestampKey !== undefined) timestamp = formatTimestamp(now, settings.timestampFormat ?? 'unix');
  if (settings.timestampHeader !== undefined) headers[settings.timestampHeader.toLowerCase()] = timestamp!;
  const segments = segmentsOf(settings);
  for (const segment of segments) {
    // A signed header the request lacks is a delivery id the sender would generate (webhook-id, Twitch's message id).
    if (segment.kind === 'header' && !Object.keys(headers).some((name) => name.toLowerCase() === segment.name)) headers[segment.name] = `msg_${randomBytes(12).toString('hex')}`;
  }
  const byName = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  const url = publicUrl + request.pathSuffix;
  const query = searchParamsOf(url);
  const values: SignedContentValues = {
    body: request.body,
    timestamp,
    url,
    method: request.method,
    header: (name) => byName.get(name),
    query: (name) => query.get(name) ?? undefined,
  };
  const computed = digest(secret.value, values, segments);
  if (computed === undefined) throw new Error('Cannot sign: the signed content is incomplete (a header or parameter it names is missing)');
  const signature = encodeDigest(computed, settings.encoding);
  let value = (settings.prefix ?? '') + signature;
  if (items) {
    const parts = [`${items.signatureKey}${items.assign}${signature}`];
    if (items.timestampKey !== undefined) parts.unshift(`${items.timestampKey}${items.assign}${timestamp}`);
    value = parts.join(items.separator);
  }
  headers[settings.header.toLowerCase()] = value;
  return { ...request, headers };
}
