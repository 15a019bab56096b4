/**
 * What is secret in a webhook request (the first half of redaction; how it is
 * masked is lib/security/redact.ts, which re-exports this module, so everything
 * is imported from there). Decided once per listener (`redactionRules`) from its
 * verifier's declarations (lib/verification/plugin.ts) and its `debug.redact`
 * JSONPaths; per request, `secretValues` collects every value found at those
 * locations, and `secretForms` the spellings an echo of them takes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { queryPath } from '../json-path';
import type { Secret, VerifierPlugin } from '../verification/plugin';

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

// ---- Values: what a request carries at a sensitive location, and how an echo spells it ----

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
