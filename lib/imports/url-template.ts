/**
 * An import URL with templates in it (`https://erp.example/api/orders/{{record.id}}`).
 *
 * Webhook data must not be able to move a delivery that carries private headers
 * somewhere else (hardening issue #11, finding 2: a record id
 * `../../admin/delete-everything?confirm=yes#` turned a POST to
 * `/api/orders/…` into a POST to `/admin/delete-everything`). So:
 * - every value a mustache renders is percent-encoded as a URI component
 *   (RFC 3986 §2.1: `/ ? # & = \ %` and every character outside the unreserved set),
 *   which is right for a path segment and for a query value alike;
 * - templates may not set the scheme, host or port: the text before the first
 *   mustache must hold the whole `scheme://authority/`;
 * - the rendered URL must keep the import's scheme, host, port and the literal path
 *   before the first mustache (a value of `..` is a whole dot segment, which URL
 *   parsing removes: that, too, is refused).
 * A URL that breaks a rule does not render: `render` throws `UrlTemplateError`
 * (delivery records it as a non-retryable error for the record).
 *
 * Only plain mustaches are allowed (`{{record.id}}`, `{{join "-" a b}}`): a block
 * could put literal text that no one encodes into the URL. Compiled once, when the
 * import is read for delivery (`import-runtime.ts`); checked when it is saved.
 */
import Handlebars from 'handlebars';
import type { FieldError } from '../errors';
import { checkTemplate, compileTemplate, type RenderTemplate } from '../templates';

export class UrlTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlTemplateError';
  }
}

export type RenderUrl = (context: object) => string;

type Piece = { literal: string } | { render: RenderTemplate };

const ORIGIN_AND_SLASH = /^https?:\/\/[^/?#{}\s]+[/?#]/i;

/** RFC 3986 unreserved characters stay; everything else, `!'()*` included, is %XX. */
export function encodeUrlValue(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

interface Statement {
  type: string;
  original?: string;
  value?: string;
  loc: { start: { column: number }; end: { column: number } };
}

function statementsOf(source: string): Statement[] {
  return (Handlebars.parse(source) as unknown as { body: Statement[] }).body;
}

/** Save-time problems with a URL template (empty when it is fine, or has no mustache). */
export function checkUrlTemplate(source: string, field: string): FieldError[] {
  if (!source.includes('{{')) return [];
  const compiles = checkTemplate(source, field);
  if (compiles.length) return compiles;
  if (/[\r\n]/.test(source)) return [{ path: field, message: 'must be on one line' }];
  const statements = statementsOf(source);
  const other = statements.find((s) => s.type !== 'ContentStatement' && s.type !== 'MustacheStatement' && s.type !== 'CommentStatement');
  if (other) return [{ path: field, message: `may hold only plain {{value}} mustaches, not a ${other.type.replace('Statement', '').toLowerCase()}` }];
  if (!ORIGIN_AND_SLASH.test(literalPrefix(source))) {
    return [{ path: field, message: 'may not set the scheme, host or port from a template: write them out, then a "/" before the first {{' }];
  }
  return [];
}

/** Scheme, host and port a URL (template) sends to, from its literal text; undefined when unreadable. */
export function urlOrigin(source: string): string | undefined {
  try {
    return new URL(literalPrefix(source).replace(/[?#].*$/, '')).origin;
  } catch {
    return undefined;
  }
}

/** The text before the first mustache. */
function literalPrefix(source: string): string {
  const at = source.indexOf('{{');
  return at === -1 ? source : source.slice(0, at);
}

/**
 * Compiles a URL template. Each mustache is rendered alone and encoded; the result
 * is checked against the literal prefix. Save-time faults (`checkUrlTemplate`)
 * make every render throw, so an import saved before this rule cannot deliver
 * a bad URL either.
 */
export function compileUrlTemplate(source: string, field = '/url'): RenderUrl {
  const problems = checkUrlTemplate(source, field);
  if (problems.length) {
    const message = `the url template ${problems[0]!.message}`;
    return () => {
      throw new UrlTemplateError(message);
    };
  }
  const pieces: Piece[] = [];
  for (const statement of statementsOf(source)) {
    if (statement.type === 'ContentStatement') pieces.push({ literal: statement.original ?? statement.value ?? '' });
    else if (statement.type === 'MustacheStatement') {
      pieces.push({ render: compileTemplate(source.slice(statement.loc.start.column, statement.loc.end.column), field) });
    }
  }
  const prefix = literalPrefix(source);
  const base = new URL(prefix.replace(/[?#].*$/, ''));
  // With a query or fragment in the literal text, the whole path is fixed.
  const pathIsFixed = /[?#]/.test(prefix);
  return (context) => {
    let url = '';
    for (const piece of pieces) url += 'literal' in piece ? piece.literal : encodeUrlValue(piece.render(context));
    url = url.trim();
    let rendered: URL;
    try {
      rendered = new URL(url);
    } catch {
      throw new UrlTemplateError(`the url renders to ${JSON.stringify(url.slice(0, 200))}, which is not a URL`);
    }
    const keepsPath = pathIsFixed ? rendered.pathname === base.pathname : rendered.pathname.startsWith(base.pathname);
    if (rendered.protocol !== base.protocol || rendered.host !== base.host || !keepsPath) {
      throw new UrlTemplateError(
        `the url renders to ${JSON.stringify(rendered.href.slice(0, 200))}, outside ${base.origin}${base.pathname}: a value in the url may not change its origin or path prefix`,
      );
    }
    return url;
  };
}
