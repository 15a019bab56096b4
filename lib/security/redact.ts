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
 *   that does not parse, a response template that echoing the query, a
 *   verifier's reason text, a destination echoing a header). This is what keeps
 *   a value masked at its location from leaking through an echo.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { maskPaths, queryPath } from '../json-path';
import type { Secret, VerifierPlugin } from '../verification/plugin';

export const MASK = '****';

/** Headers masked for every listener, whatever its verifier. */
export const ALWAYS_SENSITIVE_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'set-cookie', 'x-api-key'];

export interface RedactionRules {
  /** Lower-case header names never shown in debug logs, samples or test-request replies. */
  readonly sensitiveHeaders: ReadonlySet<string>;
  /** Query parameters holding a credential (token in query, Meta's verify token). */
  readonly sensitiveQuery: readonly string[];
  /** Body paths holding a credential (the token verifier's); masked in the stored job and sample too. */
  readonly credentialBodyPaths: readonly string[];
  /** Body paths masked in debug logs: the credential paths plus the listener's `debug.redact` JSONPaths. */
  readonly sensitiveBodyPaths: readonly string[];
  /** The values of the listener's configured secrets (passwords, keys, tokens, path secrets, Meta's verify token). */
  readonly secrets: readonly string[];
}

/** The values of every secret in a verifier's settings: its `secretFields` lists and its `secretStrings`. */
export function configuredSecrets(verifier: VerifierPlugin, verification: Record<string, unknown>): string[] {
  const values: string[] = [];
  for (const field of verifier.secretFields) {
    const list = verification[field] as Array<Secret | string> | undefined;
    if (!Array.isArray(list)) continue;
    for (const secret of list) {
      const value = typeof secret === 'string' ? secret : secret?.value;
      if (typeof value === 'string') values.push(value);
    }
  }
  for (const field of verifier.secretStrings ?? []) {
    const value = verification[field];
    if (typeof value === 'string') values.push(value);
  }
  return values;
}

/** `$.myAuth.token` → `myAuth`, `$['my auth'].token` → `my auth` (the query key a form-style copy would use). */
function firstKeyOf(jsonPath: string): string[] {
  const match = /^\$(?:\.([A-Za-z_$][\w$]*)|\['((?:[^'\\]|\\.)*)'\])/.exec(jsonPath);
  const key = match?.[1] ?? match?.[2]?.replace(/\\(.)/g, '$1');
  return key ? [key] : [];
}

export function redactionRules(verifier: VerifierPlugin, verification: Record<string, unknown>, debugRedact: readonly string[]): RedactionRules {
  const credentialBodyPaths = verifier.sensitiveBodyPaths?.(verification) ?? [];
  return {
    sensitiveHeaders: new Set([...ALWAYS_SENSITIVE_HEADERS, ...verifier.sensitiveHeaders(verification).map((h) => h.toLowerCase())]),
    // The first key of a body credential too: a sender may repeat it in the query, which job meta keeps.
    sensitiveQuery: [...(verifier.sensitiveQuery?.(verification) ?? []), ...credentialBodyPaths.flatMap(firstKeyOf)],
    credentialBodyPaths,
    sensitiveBodyPaths: [...credentialBodyPaths, ...debugRedact],
    secrets: configuredSecrets(verifier, verification),
  };
}

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

// ---- By value -----------------------------------------------------------------------

/** Shorter credential parts are not scrubbed alone (they would match ordinary text). */
const MIN_PART_LENGTH = 8;

/**
 * The strings to replace for these secret values, longest first, in the forms an
 * echo takes: as is, JSON-escaped, percent-encoded, form-encoded, and for
 * `Scheme credentials` values (`Bearer abc…`) the credentials alone.
 */
export function secretForms(values: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const value of values) {
    if (value === '') continue;
    const parts = [value];
    const credentials = /^\S+\s+(\S.*)$/.exec(value)?.[1];
    if (credentials && credentials.length >= MIN_PART_LENGTH) parts.push(credentials);
    for (const part of parts) {
      forms.add(part);
      forms.add(JSON.stringify(part).slice(1, -1));
      forms.add(encodeURIComponent(part));
      forms.add(new URLSearchParams({ s: part }).toString().slice(2));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

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

/** A credential header's value, and the parts of it that could echo elsewhere (the token after the scheme, a Basic password). */
function headerSecretParts(value: string): string[] {
  const parts = [value];
  const space = value.indexOf(' ');
  if (space > 0) {
    const credentials = value.slice(space + 1).trim();
    parts.push(credentials);
    // The HTTP Basic scheme (RFC 7617), whichever verifier asked for the header.
    if (/^basic$/i.test(value.slice(0, space))) {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon !== -1) parts.push(decoded.slice(colon + 1));
    }
  }
  return parts;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export interface SecretSources {
  headers: IncomingHttpHeaders;
  query: Record<string, string | string[]>;
  pathSecret: string | undefined;
  /** The parsed body, when there is one, to read the values at the sensitive body paths. */
  body: unknown;
}

/** Every value this request carries at a sensitive location, plus the listener's configured secrets. */
export function secretValues(rules: RedactionRules, sources: SecretSources): string[] {
  const values = [...rules.secrets];
  if (sources.pathSecret !== undefined) values.push(sources.pathSecret);
  for (const name of rules.sensitiveHeaders) {
    const value = sources.headers[name];
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) values.push(...headerSecretParts(item));
  }
  for (const name of rules.sensitiveQuery) {
    const value = sources.query[name];
    if (value !== undefined) values.push(...(Array.isArray(value) ? value : [value]));
  }
  if (sources.body !== undefined) {
    for (const path of rules.sensitiveBodyPaths) {
      try {
        for (const found of queryPath(path, sources.body)) {
          const text = scalarText(found) ?? scalarText((found as Record<string, unknown> | null)?.['#text']);
          if (text !== undefined) values.push(text);
        }
      } catch {
        // A path that cannot be evaluated masks nothing by value; the location mask still applies.
      }
    }
  }
  return values;
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

/** The query string as sent (names as written, repeated names as lists), before any redaction. */
export function flatQuery(queryString: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  if (queryString === '') return query;
  for (const [name, value] of new URLSearchParams(queryString)) {
    const existing = query[name];
    if (existing === undefined) query[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else query[name] = [existing, value];
  }
  return query;
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
