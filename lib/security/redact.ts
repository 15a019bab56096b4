/**
 * Redaction: the one module that decides what is secret in a webhook request
 * and how it is masked. Storage (job body and metadata), samples, debug capture,
 * test-request replies, delivery-error records and logs all mask through here,
 * with the one mask `MASK`.
 *
 * What is secret is decided once per listener (`redactionRules`, compiled with
 * the RuntimeListener) from its verifier's declarations
 * (lib/verification/plugin.ts) and its `debug.redact` JSONPaths:
 *
 * - By location: credential headers (`Authorization`, `Cookie`,
 *   `Proxy-Authorization`, … and every signature header the verifier names),
 *   credential query parameters, credential body paths, the secret path segment.
 * - By value: every secret value seen at those locations, and every secret the
 *   listener is configured with, is replaced wherever else it appears (a body
 *   that does not parse, a response template echoing the query, a
 *   verifier's reason text, a destination echoing a header). This is what keeps
 *   a value masked at its location from leaking through an echo.
 *
 * What is secret (the rules, the values found) is in ./redaction-rules.ts,
 * re-exported here; this file holds the mask and every way of applying it.
 */
import { maskPaths, queryPath } from '../json-path';
import type { RedactionRules } from './redaction-rules';

export * from './redaction-rules';

export const MASK = '****';

// ---- By location ----------------------------------------------------------------

/** A copy of a parsed query with the credential parameters masked (the same object when none is present). */
export function maskQuery(query: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  if (names.length === 0) return query;
  let masked: Record<string, unknown> | undefined;
  for (const name of names) {
    if (!Object.hasOwn(query, name)) continue;
    masked ??= { ...query };
    masked[name] = MASK;
  }
  return masked ?? query;
}

/** A URL with the credential query parameters masked. */
export function maskUrlQuery(url: string, names: readonly string[]): string {
  const question = url.indexOf('?');
  if (question === -1 || names.length === 0) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  if (!names.some((name) => params.has(name))) return url;
  for (const name of names) if (params.has(name)) params.set(name, MASK);
  return `${url.slice(0, question)}?${params.toString()}`;
}

/** A sample's headers: every one kept, credentials and signatures masked. */
export function maskSensitiveHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  sensitive: ReadonlySet<string> | undefined,
): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    masked[name] = sensitive?.has(name.toLowerCase()) ? MASK : value;
  }
  return masked;
}

/** `json` with the values at `paths` replaced by the mask (see json-path `maskPaths`). */
export function maskBodyPaths(json: unknown, paths: readonly string[]): unknown {
  return maskPaths(json, paths, MASK);
}

// ---- Storage: a credential the sender put in the body or query -------------------

export interface StoredBodySource {
  /** The body as the listener uses it (raw text with `passThrough`). */
  body: unknown;
  /** True for a GET whose query string stands in for the body. */
  bodyFromQuery: boolean;
  passThrough: boolean;
  /** The parsed body whatever `passThrough` says; rejects when it does not parse. */
  parsed(): Promise<unknown>;
}

/** Whether `credentialsOutOfBody` would change anything. */
export function carriesCredentials(rules: RedactionRules, bodyFromQuery: boolean): boolean {
  return rules.credentialBodyPaths.length > 0 || (bodyFromQuery && rules.sensitiveQuery.length > 0);
}

/**
 * The body to store: a token the sender put in the body authenticates it to
 * hookport and is not data for the flows. Structured bodies get the credential
 * paths masked (and, for a GET whose query is the body, the credential
 * parameters). A pass-through body is text: each credential value found in the
 * parsed body is replaced in it.
 */
export async function credentialsOutOfBody(rules: RedactionRules, source: StoredBodySource): Promise<unknown> {
  const { body } = source;
  if (!carriesCredentials(rules, source.bodyFromQuery)) return body;
  if (source.passThrough && typeof body === 'string') {
    if (rules.credentialBodyPaths.length === 0) return body;
    let parsed: unknown;
    try {
      parsed = await source.parsed();
    } catch {
      return body;
    }
    const values: string[] = [];
    for (const path of rules.credentialBodyPaths) for (const value of queryPath(path, parsed)) if (typeof value === 'string') values.push(value);
    return scrubText(body, values.filter((value) => value.length > 0));
  }
  let scrubbed = body;
  if (rules.credentialBodyPaths.length > 0) scrubbed = maskBodyPaths(scrubbed, rules.credentialBodyPaths);
  if (source.bodyFromQuery && scrubbed && typeof scrubbed === 'object') {
    scrubbed = maskQuery(scrubbed as Record<string, unknown>, rules.sensitiveQuery);
  }
  return scrubbed;
}

// ---- By value -------------------------------------------------------------------

/** `text` with every one of `forms` replaced by the mask; pass them longest first. */
export function scrubText(text: string, forms: readonly string[]): string {
  let result = text;
  for (const form of forms) if (result.includes(form)) result = result.split(form).join(MASK);
  return result;
}

/**
 * Debug capture scrubs only values of this length or more: replacing a
 * two-letter string everywhere would garble the capture without protecting anything.
 */
const MIN_SCRUB_LENGTH = 4;

/** Replaces known secret values wherever they appear in text or bytes (debug capture). */
export class Scrubber {
  private readonly secrets: string[];
  private readonly secretBytes: Buffer[];

  constructor(values: Iterable<string>) {
    const unique = new Set<string>();
    for (const value of values) if (value.length >= MIN_SCRUB_LENGTH && value !== MASK) unique.add(value);
    // Longest first, so a secret containing another is replaced whole.
    this.secrets = [...unique].sort((a, b) => b.length - a.length);
    this.secretBytes = this.secrets.map((secret) => Buffer.from(secret, 'utf8'));
  }

  text(value: string): string {
    return scrubText(value, this.secrets);
  }

  bytes(value: Buffer): Buffer {
    let result = value;
    for (const secret of this.secretBytes) {
      let index = result.indexOf(secret);
      if (index === -1) continue;
      const parts: Buffer[] = [];
      let from = 0;
      while (index !== -1) {
        parts.push(result.subarray(from, index), Buffer.from(MASK));
        from = index + secret.length;
        index = result.indexOf(secret, from);
      }
      parts.push(result.subarray(from));
      result = Buffer.concat(parts);
    }
    return result;
  }
}

/** Request or response headers with credential headers masked and the rest scrubbed. */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[] | number | undefined>>,
  sensitive: ReadonlySet<string>,
  scrubber: Scrubber,
): Record<string, string | string[]> {
  // No prototype: a header or parameter named `__proto__` is kept as data.
  const result: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (sensitive.has(name.toLowerCase())) result[name] = MASK;
    else result[name] = Array.isArray(value) ? value.map((item) => scrubber.text(item)) : scrubber.text(String(value));
  }
  return result;
}

/** The query with token parameters masked and every other value scrubbed. */
export function redactQuery(query: Record<string, string | string[]>, sensitive: readonly string[], scrubber: Scrubber): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of Object.entries(query)) {
    if (sensitive.includes(name)) result[name] = MASK;
    else result[name] = Array.isArray(value) ? value.map((item) => scrubber.text(item)) : scrubber.text(value);
  }
  return result;
}
