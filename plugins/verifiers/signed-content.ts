/**
 * The `signedContent` template of the hmac verifier (SPEC §4): placeholders
 * `{body}`, `{timestamp}`, `{url}`, `{method}`, `{form}`, `{headers.NAME}` and
 * `{query.NAME}` between literal text, e.g. `v0:{timestamp}:{body}` (Slack),
 * `{url}{body}` (Square), `{url}{form}` (Mandrill) or
 * `{method}{url}{body}{timestamp}` (HubSpot v3). The hash verifier adds
 * `{secret}`: the secret is part of the hashed text (HubSpot v1/v2).
 *
 * `{url}` is the URL the partner called (HOOKPORT_PUBLIC_URL plus the path and
 * query); `{form}` is every form parameter of the body as name+value with names
 * sorted by byte order and no separators (see sorted-form.ts).
 *
 * Deliberately not Handlebars: the result is bytes, `{body}` is the raw body
 * byte for byte (never decoded or re-encoded), and nothing is escaped. A `{`
 * always opens a placeholder; there is no escape for a literal `{`.
 */
import { sortedFormParams } from './sorted-form';
import { HEADER_NAME } from '../../lib/http/header-field';

export type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'body' }
  | { kind: 'timestamp' }
  | { kind: 'url' }
  | { kind: 'method' }
  | { kind: 'form' }
  | { kind: 'secret' }
  | { kind: 'header'; name: string }
  | { kind: 'query'; name: string };

export type ParsedTemplate = { ok: true; segments: Segment[] } | { ok: false; error: string };


function placeholder(name: string): Segment | undefined {
  if (name === 'body' || name === 'timestamp' || name === 'url' || name === 'method' || name === 'form' || name === 'secret') return { kind: name };
  if (name.startsWith('headers.') && HEADER_NAME.test(name.slice(8))) return { kind: 'header', name: name.slice(8).toLowerCase() };
  if (name.startsWith('query.') && name.length > 6) return { kind: 'query', name: name.slice(6) };
  return undefined;
}

export function parseSignedContent(template: string): ParsedTemplate {
  const segments: Segment[] = [];
  let position = 0;
  while (position < template.length) {
    const open = template.indexOf('{', position);
    if (open === -1) {
      segments.push({ kind: 'literal', text: template.slice(position) });
      break;
    }
    if (open > position) segments.push({ kind: 'literal', text: template.slice(position, open) });
    const close = template.indexOf('}', open + 1);
    const nextOpen = template.indexOf('{', open + 1);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      return { ok: false, error: `unclosed "{" at position ${open}` };
    }
    const name = template.slice(open + 1, close);
    const segment = placeholder(name);
    if (!segment) {
      return { ok: false, error: `unknown placeholder {${name}}; allowed: {body}, {timestamp}, {url}, {method}, {form}, {secret}, {headers.NAME}, {query.NAME}` };
    }
    segments.push(segment);
    position = close + 1;
  }
  return { ok: true, segments };
}

export function usesTimestamp(segments: readonly Segment[]): boolean {
  return uses(segments, 'timestamp');
}

export function uses(segments: readonly Segment[], kind: Segment['kind']): boolean {
  return segments.some((segment) => segment.kind === kind);
}

export interface SignedContentValues {
  body: Buffer;
  /** The timestamp exactly as the sender wrote it (the header value), not a re-formatted number. */
  timestamp: string | undefined;
  url: string;
  method: string;
  /** The secret, for templates of the hash verifier; undefined elsewhere. */
  secret?: Buffer;
  header(name: string): string | undefined;
  query(name: string): string | undefined;
}

export type RenderResult = { ok: true; content: Buffer } | { ok: false; reason: string };

export function renderSignedContent(segments: readonly Segment[], values: SignedContentValues): RenderResult {
  const parts: Buffer[] = [];
  for (const segment of segments) {
    switch (segment.kind) {
      case 'literal':
        parts.push(Buffer.from(segment.text, 'utf8'));
        break;
      case 'body':
        parts.push(values.body);
        break;
      case 'url':
        parts.push(Buffer.from(values.url, 'utf8'));
        break;
      case 'method':
        parts.push(Buffer.from(values.method.toUpperCase(), 'utf8'));
        break;
      case 'form':
        parts.push(Buffer.from(sortedFormParams(values.body), 'utf8'));
        break;
      case 'secret':
        if (values.secret === undefined) return { ok: false, reason: 'signedContent uses {secret}, which only the hash verifier supplies' };
        parts.push(values.secret);
        break;
      case 'timestamp':
        if (values.timestamp === undefined) return { ok: false, reason: 'signedContent uses {timestamp} but there is no timestamp' };
        parts.push(Buffer.from(values.timestamp, 'utf8'));
        break;
      case 'header': {
        const value = values.header(segment.name);
        if (value === undefined) return { ok: false, reason: `signedContent uses header ${segment.name}, which is missing` };
        parts.push(Buffer.from(value, 'utf8'));
        break;
      }
      case 'query': {
        const value = values.query(segment.name);
        if (value === undefined) return { ok: false, reason: `signedContent uses query parameter ${segment.name}, which is missing` };
        parts.push(Buffer.from(value, 'utf8'));
        break;
      }
    }
  }
  return { ok: true, content: Buffer.concat(parts) };
}
