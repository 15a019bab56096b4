/**
 * Redaction for debug capture (SPEC §13): what is masked BEFORE an entry is
 * stored. Two layers:
 *
 * - By location: credential headers (`Authorization`, `Cookie`,
 *   `Proxy-Authorization`, and every signature header of the listener's verifier,
 *   all in `listener.sensitiveHeaders`), token query parameters
 *   (`listener.sensitiveQuery`), body paths (`listener.sensitiveBodyPaths`: the
 *   token's body path and the listener's `debug.redact` JSONPaths), the secret
 *   path segment.
 * - By value: every secret value seen at those locations, and every secret the
 *   listener is configured with, is replaced wherever else it appears in what is
 *   stored (a body that does not parse, a response template that echoes the
 *   query, a verifier's reason text). This is what keeps a value masked at its
 *   location from leaking through an echo.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { queryPath } from '../json-path';
import type { RuntimeListener } from '../ingest/runtime-listener';
import type { VerifierPlugin } from '../verification/plugin';
import type { Secret } from '../verification/plugin';

export const MASK = '****';

/**
 * Shorter values are masked at their location only: replacing a two-letter
 * string everywhere would garble the capture without protecting anything.
 */
const MIN_SCRUB_LENGTH = 4;

/** Replaces known secret values wherever they appear in text or bytes. */
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
    let result = value;
    for (const secret of this.secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
    return result;
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

/** The values of the listener's configured secrets (passwords, keys, tokens, path secrets, Meta's verify token). */
function configuredSecrets(listener: RuntimeListener): string[] {
  const values: string[] = [];
  for (const field of listener.verifier.secretFields) {
    const list = listener.verification[field] as Secret[] | undefined;
    if (Array.isArray(list)) for (const secret of list) if (typeof secret?.value === 'string') values.push(secret.value);
  }
  for (const field of listener.verifier.secretStrings ?? []) {
    const value = listener.verification[field];
    if (typeof value === 'string') values.push(value);
  }
  return values;
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
export function secretValues(listener: RuntimeListener, sources: SecretSources): string[] {
  const values = configuredSecrets(listener);
  if (sources.pathSecret !== undefined) values.push(sources.pathSecret);
  for (const name of listener.sensitiveHeaders) {
    const value = sources.headers[name];
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) values.push(...headerSecretParts(item));
  }
  for (const name of listener.sensitiveQuery) {
    const value = sources.query[name];
    if (value !== undefined) values.push(...(Array.isArray(value) ? value : [value]));
  }
  if (sources.body !== undefined) {
    for (const path of listener.sensitiveBodyPaths) {
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
export function redactQuery(
  query: Record<string, string | string[]>,
  sensitive: readonly string[],
  scrubber: Scrubber,
): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of Object.entries(query)) {
    if (sensitive.includes(name)) result[name] = MASK;
    else result[name] = Array.isArray(value) ? value.map((item) => scrubber.text(item)) : scrubber.text(value);
  }
  return result;
}

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
}

/** `$.myAuth.token` → `myAuth`, `$['my auth'].token` → `my auth` (the query key a form-style copy would use). */
function firstKeyOf(jsonPath: string): string[] {
  const match = /^\$(?:\.([A-Za-z_$][\w$]*)|\['((?:[^'\\]|\\.)*)'\])/.exec(jsonPath);
  const key = match?.[1] ?? match?.[2]?.replace(/\\(.)/g, '$1');
  return key ? [key] : [];
}

export function redactionRules(
  verifier: VerifierPlugin,
  verification: Record<string, unknown>,
  debugRedact: readonly string[],
): RedactionRules {
  const credentialBodyPaths = verifier.sensitiveBodyPaths?.(verification) ?? [];
  return {
    sensitiveHeaders: new Set([...ALWAYS_SENSITIVE_HEADERS, ...verifier.sensitiveHeaders(verification).map((h) => h.toLowerCase())]),
    // The first key of a body credential too: a sender may repeat it in the query, which job meta keeps.
    sensitiveQuery: [...(verifier.sensitiveQuery?.(verification) ?? []), ...credentialBodyPaths.flatMap(firstKeyOf)],
    credentialBodyPaths,
    sensitiveBodyPaths: [...credentialBodyPaths, ...debugRedact],
  };
}
