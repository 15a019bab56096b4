/**
 * Handshakes (SPEC §5): requests by which a sender checks the URL before it sends
 * data — Slack `url_verification`, Meta `hub.challenge`, Zoom
 * `endpoint.url_validation`, Microsoft Graph `validationToken`, Make's
 * `verification`. Rules are checked in order, before verification; the first rule
 * whose `when` conditions all hold answers the request with its `respond`.
 *
 * This module only decides and renders. Whether the request must also pass the
 * verifier (`rule.verify`) and writing the response are the caller's job.
 *
 * Conditions read the subject `{ method, headers, query, body }`; header names in
 * condition paths are matched case-insensitively (Node lower-cases them). Response
 * strings (body and header values) are Handlebars templates over the same object
 * plus `secret`, the listener's first active secret (for `{{hmac …}}`).
 */
import { AppError, type FieldError } from '../errors';
import { checkConditions, compileConditions, type Condition, type Predicate } from '../conditions';
import { checkDeep, checkTemplate, compileDeep, compileTemplate, templateReads, TemplateRenderError, type RenderDeep, type RenderTemplate } from '../templates';
import type { HeaderMap } from '../http/headers';
import { HEADER_NAME } from '../http/header-field';

export interface HandshakeResponse {
  status: number;
  type: 'json' | 'urlencoded' | 'text';
  headers?: Record<string, string>;
  /**
   * Strings in here are Handlebars templates over `{ method, headers, query, body, secret }`
   * where `secret` is the first active secret of the listener's verifier (for the `hmac` helper).
   */
  body?: unknown;
}

/** One handshake rule (SPEC §5): a listener's own, a built-in set's, or one a verifier declares. */
export interface HandshakeRule {
  when: Condition[];
  respond: HandshakeResponse;
  /** When true the request must also pass the listener's verifier. */
  verify?: boolean;
  /**
   * A template (over the same object as `respond`) whose value becomes the
   * listener's secret when it has no active one yet — trust on first use, for
   * senders that hand their secret over in the handshake (Asana's
   * `X-Hook-Secret`). A listener that already has an active secret does not
   * answer such a rule: the request goes on to verification like any other.
   */
  captureSecret?: string;
}

export interface HandshakeSubject {
  method: string;
  /** Lower-case names, as Node gives them. */
  headers: HeaderMap;
  query: Record<string, unknown>;
  body: unknown;
}

export interface HandshakeReply {
  status: number;
  /** Rendered `respond.headers`, without `Content-Type` (that is `contentType`). */
  headers: Record<string, string>;
  body: Buffer;
  contentType: string;
}

export interface HandshakeMatch {
  rule: HandshakeRule;
  response: HandshakeReply;
  /** The rendered `captureSecret`, when the rule has one. */
  capturedSecret?: string;
}

interface CompiledRule {
  rule: HandshakeRule;
  when: Predicate;
  headers: Array<{ name: string; render: RenderTemplate; field: string }>;
  contentType: RenderTemplate | undefined;
  body: RenderDeep | undefined;
  captureSecret: RenderTemplate | undefined;
}

/** Rules compiled once per listener version; pass to `matchHandshake` per request. */
export interface CompiledHandshakes {
  readonly rules: readonly CompiledRule[];
}

const TYPES = new Set<HandshakeResponse['type']>(['json', 'urlencoded', 'text']);
const CONTENT_TYPES: Record<HandshakeResponse['type'], string> = {
  json: 'application/json',
  urlencoded: 'application/x-www-form-urlencoded',
  // text/plain without a charset means US-ASCII (RFC 2046); challenges may not be.
  text: 'text/plain; charset=utf-8',
};
/** What Node refuses in a header value (and what would split a response). */
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/;

/**
 * Compiles rules (the listener's own, then its preset's). Throws
 * `ERR_INVALID_REQUEST` with field errors when `checkHandshakes` finds any.
 */
export function compileHandshakes(rules: readonly HandshakeRule[], basePath = '/handshake'): CompiledHandshakes {
  const errors = checkHandshakes(rules, basePath);
  if (errors.length > 0) throw new AppError('ERR_INVALID_REQUEST', `${errors[0]!.path} ${errors[0]!.message}`, { extensions: { errors } });
  return {
    rules: rules.map((rule, index) => {
      const at = `${basePath}/${index}/respond`;
      const headers: CompiledRule['headers'] = [];
      let contentType: RenderTemplate | undefined;
      for (const [name, source] of Object.entries(rule.respond.headers ?? {})) {
        const field = `${at}/headers/${name}`;
        if (name.toLowerCase() === 'content-type') contentType = compileTemplate(source, field);
        else headers.push({ name, render: compileTemplate(source, field), field });
      }
      return {
        rule,
        when: compileConditions(rule.when, { headerNamesCaseInsensitive: true }),
        headers,
        contentType,
        body: rule.respond.body === undefined ? undefined : compileDeep(rule.respond.body, `${at}/body`),
        captureSecret: rule.captureSecret === undefined ? undefined : compileTemplate(rule.captureSecret, `${basePath}/${index}/captureSecret`),
      };
    }),
  };
}

/**
 * The first rule whose conditions hold, with its rendered response; undefined when
 * none does (the request is not a handshake). Throws `TemplateRenderError` when a
 * template fails (e.g. `hmac` without a secret) or renders a header value with a
 * line break.
 */
export function matchHandshake(compiled: CompiledHandshakes, subject: HandshakeSubject, secret: string | undefined): HandshakeMatch | undefined {
  const candidate = findHandshake(compiled, subject);
  return candidate ? renderHandshake(candidate, subject, secret) : undefined;
}

/** A rule matched by its conditions alone, not yet rendered. */
export type MatchedRule = CompiledHandshakes['rules'][number];

/** The first rule whose conditions hold, without rendering anything. */
export function findHandshake(compiled: CompiledHandshakes, subject: HandshakeSubject): MatchedRule | undefined {
  for (const candidate of compiled.rules) if (candidate.when(subject)) return candidate;
  return undefined;
}

/**
 * Renders a matched rule's response. `secret` must be given only once the
 * request has passed verification (rules with `verify: true`): a rule answered
 * before verification never sees the listener's secret (checkHandshakes refuses
 * such a rule that reads it).
 */
export function renderHandshake(candidate: MatchedRule, subject: HandshakeSubject, secret: string | undefined): HandshakeMatch {
  const context = { method: subject.method, headers: subject.headers, query: subject.query, body: subject.body, secret };
  const headers: Record<string, string> = {};
  for (const header of candidate.headers) headers[header.name] = headerValue(header.render(context), header.field);
  const { type, status } = candidate.rule.respond;
  const contentType = candidate.contentType ? headerValue(candidate.contentType(context), 'Content-Type') : CONTENT_TYPES[type];
  const body = candidate.body ? serialise(type, candidate.body(context)) : Buffer.alloc(0);
  const response = { status, headers, body, contentType };
  return candidate.captureSecret ? { rule: candidate.rule, response, capturedSecret: candidate.captureSecret(context) } : { rule: candidate.rule, response };
}

/** Save-time validation of `handshake` (or a preset's rules). */
export function checkHandshakes(rules: unknown, basePath: string): FieldError[] {
  if (!Array.isArray(rules)) return [{ path: basePath, message: 'must be a list of rules { when, respond }' }];
  const errors: FieldError[] = [];
  rules.forEach((rule: unknown, index) => {
    const at = `${basePath}/${index}`;
    if (!isObject(rule)) {
      errors.push({ path: at, message: 'must be an object { when, respond, verify? }' });
      return;
    }
    if (Array.isArray(rule.when) && rule.when.length === 0) {
      // A rule without conditions would answer every request, data included.
      errors.push({ path: `${at}/when`, message: 'needs at least one condition' });
    } else {
      errors.push(...checkConditions(rule.when, `${at}/when`));
    }
    if (rule.verify !== undefined && typeof rule.verify !== 'boolean') errors.push({ path: `${at}/verify`, message: 'must be true or false' });
    errors.push(...checkResponse(rule.respond, `${at}/respond`));
    if (rule.captureSecret !== undefined) {
      if (typeof rule.captureSecret !== 'string') errors.push({ path: `${at}/captureSecret`, message: 'must be a template string' });
      else errors.push(...checkTemplate(rule.captureSecret, `${at}/captureSecret`));
    }
    if (rule.verify !== true) errors.push(...readsSecret(rule.respond, `${at}/respond`));
  });
  return errors;
}

/**
 * A rule answered before verification must not put the listener's secret (or
 * anything computed from it) in a reply anyone can ask for.
 */
function readsSecret(respond: unknown, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      if (templateReads(value, 'secret')) errors.push({ path, message: 'reads `secret`, which only a rule with "verify": true may use' });
    } else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}/${index}`));
    else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, `${path}/${key}`);
  };
  if (isObject(respond)) {
    walk(respond.headers, `${at}/headers`);
    walk(respond.body, `${at}/body`);
  }
  return errors;
}

function checkResponse(respond: unknown, at: string): FieldError[] {
  if (!isObject(respond)) return [{ path: at, message: 'must be an object { status, type, headers?, body? }' }];
  const errors: FieldError[] = [];
  const { status, type, headers, body } = respond;
  if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) {
    errors.push({ path: `${at}/status`, message: 'must be an HTTP status from 200 to 599' });
  }
  if (!TYPES.has(type as HandshakeResponse['type'])) errors.push({ path: `${at}/type`, message: 'must be json, urlencoded or text' });
  if (headers !== undefined) {
    if (!isObject(headers)) {
      errors.push({ path: `${at}/headers`, message: 'must be an object of header names to templates' });
    } else {
      for (const [name, source] of Object.entries(headers)) {
        if (!HEADER_NAME.test(name)) errors.push({ path: `${at}/headers/${name}`, message: 'is not a valid header name' });
        errors.push(...checkTemplate(source, `${at}/headers/${name}`));
      }
    }
  }
  if (type === 'text' && body !== undefined && typeof body !== 'string') {
    errors.push({ path: `${at}/body`, message: 'must be a template string for type text' });
  } else if (type === 'urlencoded' && body !== undefined && typeof body !== 'string' && !isFlatForm(body)) {
    errors.push({ path: `${at}/body`, message: 'must be a template string or an object of strings (or lists of strings) for type urlencoded' });
  } else {
    errors.push(...checkDeep(body, `${at}/body`));
  }
  return errors;
}

function serialise(type: HandshakeResponse['type'], body: unknown): Buffer {
  if (type === 'json') return Buffer.from(JSON.stringify(body) ?? '', 'utf8');
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (type === 'text') return Buffer.from(body === undefined || body === null ? '' : JSON.stringify(body), 'utf8');
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) form.append(name, typeof item === 'string' ? item : JSON.stringify(item));
    }
  }
  return Buffer.from(form.toString(), 'utf8');
}

function headerValue(value: string, field: string): string {
  if (HEADER_VALUE_FORBIDDEN.test(value)) throw new TemplateRenderError(field, new Error('rendered a header value with a line break or NUL'));
  return value;
}

function isFlatForm(value: unknown): boolean {
  if (!isObject(value)) return false;
  return Object.values(value).every((item) => isScalar(item) || (Array.isArray(item) && item.every(isScalar)));
}

function isScalar(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
