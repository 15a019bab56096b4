/**
 * `token`: a shared token in the body, a header or the query string (SPEC §4,
 * Celigo's "token" verification). The body path is read from the parsed body, so
 * it works for JSON, XML and form bodies alike; a body that does not parse just
 * means the token is missing.
 *
 * For the `authorization` header both `Bearer <token>` (RFC 6750) and the bare
 * token are accepted.
 */
import { Type } from '@sinclair/typebox';
import { safeEqualAny } from '../../lib/security/constant-time';
import { parseBodyPath, setValueAt, toJsonPath, valueAt } from './body-path';
import { appendQuery, headerValue, queryValue } from './headers';
import { headerName, secretList } from './schema';
import { firstActiveSecret, matchSecrets, SECRET_EXPIRED } from '../../lib/verification/secrets';
import type { OutgoingRequest, Secret, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

export type TokenLocation = { in: 'body'; path: string } | { in: 'header'; name: string } | { in: 'query'; name: string };

export interface TokenConfig {
  type: 'token';
  tokens: Secret[];
  location: TokenLocation;
}

// A discriminated union, so that a wrong location reports the field that is wrong
// rather than "does not match any of three shapes".
const locationSchema = Type.Unsafe<TokenLocation>({
  type: 'object',
  required: ['in'],
  discriminator: { propertyName: 'in' },
  oneOf: [
    Type.Object({ in: Type.Literal('body'), path: Type.String({ minLength: 1, description: 'e.g. myAuth.token or $.myAuth.token' }) }, { additionalProperties: false }),
    Type.Object({ in: Type.Literal('header'), name: headerName() }, { additionalProperties: false }),
    Type.Object({ in: Type.Literal('query'), name: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
  ],
});

const configSchema = Type.Object(
  {
    type: Type.Literal('token'),
    tokens: secretList(1),
    location: locationSchema,
  },
  { additionalProperties: false },
);

function bodyPathOf(path: string): string[] {
  const segments = parseBodyPath(path);
  // check() refuses such paths when the listener is saved.
  if (!segments) throw new Error(`Invalid token body path reached the token verifier: ${path}`);
  return segments;
}

/** A scalar at the path as text; an XML element with attributes keeps its text under `#text`. */
function asToken(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return asToken(value[0]);
  if (value !== null && typeof value === 'object' && '#text' in value) return asToken((value as Record<string, unknown>)['#text']);
  return undefined;
}

type Presented = { ok: true; candidates: string[] } | { ok: false; reason: string };

async function presentedToken(context: VerifyContext, location: TokenLocation): Promise<Presented> {
  switch (location.in) {
    case 'header': {
      const name = location.name.toLowerCase();
      const value = headerValue(context.headers, name);
      if (value === undefined || value.length === 0) return { ok: false, reason: `token missing: no ${name} header` };
      const candidates = [value];
      const bearer = /^bearer\s+(.+)$/i.exec(value);
      if (name === 'authorization' && bearer) candidates.push(bearer[1]!.trim());
      return { ok: true, candidates };
    }
    case 'query': {
      const value = queryValue(context.query, location.name);
      if (value === undefined || value.length === 0) return { ok: false, reason: `token missing: no query parameter ${location.name}` };
      return { ok: true, candidates: [value] };
    }
    case 'body': {
      let body: unknown;
      try {
        body = await context.body();
      } catch (error) {
        return { ok: false, reason: `token missing: the body could not be parsed (${(error as Error)?.message ?? String(error)})` };
      }
      const value = asToken(valueAt(body, bodyPathOf(location.path)));
      if (value === undefined || value.length === 0) return { ok: false, reason: `token missing: nothing at body path ${location.path}` };
      return { ok: true, candidates: [value] };
    }
  }
}

async function verify(context: VerifyContext, config: TokenConfig): Promise<VerifyResult> {
  const presented = await presentedToken(context, config.location);
  if (!presented.ok) return presented;
  const match = matchSecrets(config.tokens, context.now(), (secret) => safeEqualAny(secret.value, presented.candidates));
  if (match === 'active') return { ok: true };
  if (match === 'expired') return { ok: false, reason: SECRET_EXPIRED };
  return { ok: false, reason: `token mismatch (${config.location.in})` };
}

function contentTypeOf(headers: Record<string, string>): string {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type');
  return entry ? entry[1].toLowerCase() : '';
}

function signBody(request: OutgoingRequest, segments: string[], token: string): OutgoingRequest {
  const contentType = contentTypeOf(request.headers);
  if (contentType.includes('application/x-www-form-urlencoded')) {
    // Form bodies nest with brackets (SPEC §7: a[b]=1), so myAuth.token is myAuth[token].
    const key = segments[0] + segments.slice(1).map((segment) => `[${segment}]`).join('');
    const params = new URLSearchParams(request.body.toString('utf8'));
    params.set(key, token);
    return { ...request, body: Buffer.from(params.toString(), 'utf8') };
  }
  if (contentType === '' || contentType.includes('json')) {
    const text = request.body.toString('utf8').trim();
    const parsed: unknown = text === '' ? {} : JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Cannot sign: a token in the body needs a JSON object body');
    setValueAt(parsed as Record<string, unknown>, segments, token);
    const headers = contentType === '' ? { ...request.headers, 'content-type': 'application/json' } : request.headers;
    return { ...request, headers, body: Buffer.from(JSON.stringify(parsed), 'utf8') };
  }
  throw new Error(`Cannot sign: a token in the body is supported for JSON and form bodies, not ${contentType}`);
}

function sign(request: OutgoingRequest, config: TokenConfig, now: number): OutgoingRequest {
  const token = firstActiveSecret(config.tokens, now).value;
  const location = config.location;
  switch (location.in) {
    case 'header': {
      const name = location.name.toLowerCase();
      const value = name === 'authorization' ? `Bearer ${token}` : token;
      return { ...request, headers: { ...request.headers, [name]: value } };
    }
    case 'query':
      return { ...request, pathSuffix: appendQuery(request.pathSuffix, location.name, token) };
    case 'body':
      return signBody(request, bodyPathOf(location.path), token);
  }
}

function check(config: TokenConfig): Array<{ path: string; message: string }> {
  if (config.location.in === 'body' && parseBodyPath(config.location.path) === undefined) {
    return [{ path: '/location/path', message: 'must be a dotted path such as myAuth.token or a JSONPath such as $.myAuth.token (no wildcards or filters)' }];
  }
  return [];
}

export const tokenVerifier: VerifierPlugin<TokenConfig> = {
  name: 'token',
  configSchema,
  secretFields: ['tokens'],
  check,
  verify,
  sign,
  sensitiveHeaders: (config) => (config.location.in === 'header' ? [config.location.name.toLowerCase()] : []),
  sensitiveQuery: (config) => (config.location.in === 'query' ? [config.location.name] : []),
  sensitiveBodyPaths: (config) => {
    if (config.location.in !== 'body') return [];
    const segments = parseBodyPath(config.location.path);
    return segments ? [toJsonPath(segments)] : [];
  },
};
