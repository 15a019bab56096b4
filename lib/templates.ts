/**
 * Templates, compiled when saved and rendered per request, on the one Handlebars
 * environment (lib/template-environment.ts): handshake responses (SPEC §5), trace
 * keys and data URIs (§8), response bodies (§12), import bodies (§11).
 *
 * Templates are compiled with `noEscape: true`: they produce JSON and plain text,
 * never HTML, and HTML-escaping would turn `"` into `&quot;` inside JSON bodies and
 * `=` into `&#x3D;` inside base64 signatures. So `{{value}}` and `{{{value}}}` are the
 * same here; `{{{json value}}}` in examples elsewhere works unchanged. A JSON body
 * template must quote strings itself or use the `json` helper: `{"id": {{json id}} }` —
 * mind the space: `}}}` right after a mustache is read as the end of a triple-stash
 * and the template does not compile (caught when it is saved).
 *
 * `strict: false`: a missing field renders as an empty string, as integrators expect.
 * Syntax errors, partials (none are registered), decorators and calls to helpers that
 * do not exist are refused when the template is saved (`checkTemplate`), not found
 * on the first request. Compiled templates are cached by their source.
 *
 * Helpers: see lib/template-environment.ts.
 *
 * Typed rendering (`compileDeep(value, field, { typed: true })`, used by
 * `records.output`): a string that is exactly one `{{expression}}` gives the
 * expression's value with its JSON type instead of its text.
 */
import { AppError, type FieldError } from './errors';
import { childPath } from './schema';
import { describeTemplateError } from './template-errors';
import { COMPILE_OPTIONS, environment, VALUE_HELPER, VALUE_SLOT } from './template-environment';
import { findUnsupported, type Node } from './template-syntax';

export { templateReads } from './template-syntax';

export type RenderTemplate = (context: object) => string;
export type RenderDeep = (context: object) => unknown;

/** A template failed while rendering (e.g. `hmac` without a key). `field` names the setting. */
export class TemplateRenderError extends Error {
  readonly field: string;

  constructor(field: string, cause: unknown) {
    super(`Template ${field} failed to render: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'TemplateRenderError';
    this.field = field;
  }
}

const MAX_TEMPLATE_LENGTH = 100_000;
const MAX_CACHED_TEMPLATES = 5_000;

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/**
 * Compiles `source` for rendering. Throws `ERR_INVALID_REQUEST` with
 * `errors: [{ path: field, message }]` when it does not compile; the returned
 * function throws `TemplateRenderError` when rendering fails.
 */
export function compileTemplate(source: string, field: string): RenderTemplate {
  const template = cachedTemplate(source, field);
  return (context) => render(template, context, field);
}

/** Save-time validation: the template's problems as field errors (empty when fine). */
export function checkTemplate(source: unknown, field: string): FieldError[] {
  if (typeof source !== 'string') return [{ path: field, message: 'must be a template string' }];
  if (compiled.has(source)) return [];
  if (source.length > MAX_TEMPLATE_LENGTH) return [{ path: field, message: `must be at most ${MAX_TEMPLATE_LENGTH} characters` }];
  try {
    const ast = environment.parse(source);
    const problem = findUnsupported(ast);
    if (problem) return [{ path: field, message: problem }];
    // The compiler finds faults the parser does not; compile() alone would only run it on first render.
    environment.precompile(ast, COMPILE_OPTIONS);
    return [];
  } catch (error) {
    return [{ path: field, message: `does not compile: ${describeTemplateError(error)}` }];
  }
}

/**
 * Renders every string inside a JSON value as a template (handshake and response
 * bodies, output mappings); keys and non-string values are kept. Every template
 * is compiled (and checked) now, and the returned function only renders. Throws
 * like `compileTemplate`. With `typed`, a string that is exactly one
 * `{{expression}}` renders to the expression's value (number, object, array,
 * null, boolean; undefined when missing) instead of text.
 */
export function compileDeep(value: unknown, field: string, options: { typed?: boolean } = {}): RenderDeep {
  if (typeof value === 'string') {
    if (!isTemplate(value)) return () => value;
    const typed = options.typed ? soleExpression(value) : undefined;
    if (typed !== undefined) {
      cachedTemplate(value, field); // refuses what does not compile, naming the template as written
      const template = cachedTemplate(typed, field);
      return (context) => {
        const slot: { value?: unknown } = {};
        render(template, context, field, { [VALUE_SLOT]: slot });
        return slot.value;
      };
    }
    const template = compileTemplate(value, field);
    return (context) => template(context);
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileDeep(item, `${field}/${index}`, options));
    return (context) => items.map((item) => item(context));
  }
  if (value === null || typeof value !== 'object') return () => value;
  const entries = Object.entries(value).map(([key, item]) => [key, compileDeep(item, childPath(field, key), options)] as const);
  return (context) => {
    const result: Record<string, unknown> = {};
    for (const [key, item] of entries) setOwn(result, key, item(context));
    return result;
  };
}

/**
 * For a string that is exactly one `{{expression}}` (not `{{{…}}}`, not a block),
 * the template that passes the expression's value to VALUE_HELPER: a path as
 * `{{hookportValue path}}`, a helper call as `{{hookportValue (helper args)}}`.
 */
function soleExpression(source: string): string | undefined {
  if (!source.startsWith('{{') || source.startsWith('{{{') || !source.endsWith('}}') || source.endsWith('}}}')) return undefined;
  let body: Node[];
  try {
    body = environment.parse(source).body as unknown as Node[];
  } catch {
    return undefined;
  }
  const node = body[0];
  if (body.length !== 1 || node?.type !== 'MustacheStatement') return undefined;
  const inner = source.slice(2, -2).replace(/^~/, '').replace(/~$/, '').trim();
  const called = node.params.length > 0 || node.hash !== undefined;
  return called ? `{{${VALUE_HELPER} (${inner})}}` : `{{${VALUE_HELPER} ${inner}}}`;
}

/** Save-time validation of every string inside a JSON value. */
export function checkDeep(value: unknown, field: string): FieldError[] {
  if (typeof value === 'string') return isTemplate(value) ? checkTemplate(value, field) : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => checkDeep(item, `${field}/${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => checkDeep(item, childPath(field, key)));
}

/** Text without `{{` renders to itself; skipping Handlebars for it saves a call per string. */
function isTemplate(source: string): boolean {
  return source.includes('{{');
}

function cachedTemplate(source: string, field: string): HandlebarsTemplateDelegate {
  let template = compiled.get(source);
  if (template) return template;
  const errors = checkTemplate(source, field);
  if (errors.length > 0) {
    throw new AppError('ERR_INVALID_REQUEST', `${field} ${errors[0]!.message}`, { extensions: { errors } });
  }
  template = environment.compile(source, COMPILE_OPTIONS);
  if (compiled.size >= MAX_CACHED_TEMPLATES) compiled.delete(compiled.keys().next().value as string);
  compiled.set(source, template);
  return template;
}

function render(template: HandlebarsTemplateDelegate, context: object, field: string, data?: Record<string, unknown>): string {
  try {
    return data ? template(context, { data }) : template(context);
  } catch (error) {
    throw new TemplateRenderError(field, error);
  }
}

/** A key named `__proto__` (possible in parsed JSON) must become a property, not the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

