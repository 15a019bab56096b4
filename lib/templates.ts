/**
 * The one Handlebars environment of hookport: handshake responses (SPEC §5), trace
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
 * Helpers:
 * - `join separator ...values` — `{{join "_" field1 field2}}`; arrays are flattened,
 *   a missing value is an empty string (positions stay stable).
 * - `json value [indent]` — JSON text; a missing value is `null`.
 * - `hmac algorithm key message [encoding]` — sha1|sha256|sha384|sha512,
 *   hex (default)|base64|base64url. A missing key is an error, never an empty key.
 * - `base64 value`, `sha256 value` (hex), `lowercase value`, `uppercase value`,
 *   `default value fallback` (fallback when value is missing, null or ""), `eq a b`
 *   (strict equality, for `{{#if (eq a b)}}`).
 * - `required value` — the value, or an error when it is missing, null or ""
 *   (a record whose output mapping needs it becomes a mapping error).
 *
 * Typed rendering (`compileDeep(value, field, { typed: true })`, used by
 * `records.output`): a string that is exactly one `{{expression}}` gives the
 * expression's value with its JSON type instead of its text.
 */
import { createHash, createHmac } from 'node:crypto';
import Handlebars from 'handlebars';
import { AppError, type FieldError } from './errors';
import { childPath } from './schema';
import { describeTemplateError } from './template-errors';

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
const COMPILE_OPTIONS = { strict: false, noEscape: true } as const;
const HMAC_ALGORITHMS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);
const ENCODINGS = new Set(['hex', 'base64', 'base64url']);

const VALUE_HELPER = 'hookportValue';
const VALUE_SLOT = 'hookportValueSlot';

const environment = Handlebars.create();

/**
 * Handlebars' compiler joins the pieces of a template with `+`. With `noEscape` nothing
 * turns a value into text first, so `{{a}}{{b}}` with two numbers rendered their sum
 * ("14" for 7 and 7). Each appended piece is made text before it is joined.
 */
type AppendToBuffer = (this: unknown, source: unknown, location: unknown, explicit: unknown) => unknown;
interface CompilerClass {
  new (): { appendToBuffer: AppendToBuffer };
  prototype: { appendToBuffer: AppendToBuffer };
}
const environmentWithCompiler = environment as unknown as { JavaScriptCompiler: CompilerClass };
const BaseCompiler = environmentWithCompiler.JavaScriptCompiler;
class TextJoiningCompiler extends BaseCompiler {}
TextJoiningCompiler.prototype.appendToBuffer = function appendAsText(source, location, explicit) {
  const parts = Array.isArray(source) ? source : [source];
  return BaseCompiler.prototype.appendToBuffer.call(this, ['"" + (', ...parts, ')'], location, explicit);
};
environmentWithCompiler.JavaScriptCompiler = TextJoiningCompiler;
// `log` would let any template write to the server's console.
environment.unregisterHelper('log');

/** Text of a value as the helpers use it: missing → "", objects → JSON. */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Handlebars passes its options object last; helpers want only the arguments. */
function argumentsOf(args: unknown[]): unknown[] {
  return args.slice(0, -1);
}

environment.registerHelper({
  join(separator: unknown, ...rest: unknown[]) {
    return argumentsOf(rest).flat(Infinity).map(text).join(text(separator));
  },
  json(value: unknown, ...rest: unknown[]) {
    const [indent] = argumentsOf(rest);
    return JSON.stringify(value === undefined ? null : value, null, typeof indent === 'number' ? indent : undefined);
  },
  hmac(algorithm: unknown, key: unknown, message: unknown, ...rest: unknown[]) {
    const [encoding = 'hex'] = argumentsOf(rest);
    if (typeof algorithm !== 'string' || !HMAC_ALGORITHMS.has(algorithm)) {
      throw new Error(`hmac: algorithm must be one of ${[...HMAC_ALGORITHMS].join(', ')}`);
    }
    if (typeof encoding !== 'string' || !ENCODINGS.has(encoding)) throw new Error(`hmac: encoding must be one of ${[...ENCODINGS].join(', ')}`);
    if (key === undefined || key === null || key === '') throw new Error('hmac: the key is missing');
    return createHmac(algorithm, text(key)).update(text(message)).digest(encoding as 'hex' | 'base64' | 'base64url');
  },
  base64(value: unknown) {
    return Buffer.from(text(value), 'utf8').toString('base64');
  },
  sha256(value: unknown) {
    return createHash('sha256').update(text(value)).digest('hex');
  },
  lowercase(value: unknown) {
    return text(value).toLowerCase();
  },
  uppercase(value: unknown) {
    return text(value).toUpperCase();
  },
  default(value: unknown, fallback: unknown) {
    return value === undefined || value === null || value === '' ? fallback : value;
  },
  eq(a: unknown, b: unknown) {
    return a === b;
  },
  required(value: unknown) {
    if (value === undefined || value === null || value === '') throw new Error('a required value is missing');
    return value;
  },
  /** Hands a typed template's value back unconverted (see soleExpression); renders nothing. */
  [VALUE_HELPER](value: unknown, options: { data?: { [VALUE_SLOT]?: { value?: unknown } } }) {
    const slot = options?.data?.[VALUE_SLOT];
    if (slot) slot.value = value;
    return '';
  },
});

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

/** Whether a template reads the variable `name` anywhere (a path starting with it, e.g. `secret`). */
export function templateReads(source: string, name: string): boolean {
  let found = false;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    const candidate = node as { type?: string; parts?: string[]; head?: string };
    if (candidate.type === 'PathExpression' && (candidate.parts?.[0] === name || candidate.head === name)) {
      found = true;
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  try {
    visit(Handlebars.parse(source));
  } catch {
    return false; // a template that does not parse is reported by checkTemplate
  }
  return found;
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
 * is compiled (and checked) now, and the returned function only renders. Throws like `compileTemplate`. With `typed`, a
 * string that is exactly one `{{expression}}` renders to the expression's value
 * (number, object, array, null, boolean; undefined when missing) instead of text.
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


type Node = { type: string; [member: string]: any };

/** Names the first construct we refuse: partials, decorators, calls to unknown helpers. */
function findUnsupported(node: Node | undefined): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  switch (node.type) {
    case 'Program':
      return firstOf(node.body as Node[]);
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return at(node, 'partials are not supported');
    case 'Decorator':
    case 'DecoratorBlock':
      return at(node, 'decorators are not supported');
    case 'MustacheStatement':
    case 'BlockStatement':
    case 'SubExpression': {
      const called = node.params.length > 0 || node.hash !== undefined || node.type === 'SubExpression';
      const name = helperName(node.path as Node);
      if (called && name !== undefined && !Object.hasOwn(environment.helpers, name)) return at(node, `unknown helper "${name}"`);
      return (
        firstOf(node.params as Node[]) ??
        firstOf(((node.hash?.pairs ?? []) as Node[]).map((pair) => pair.value as Node)) ??
        findUnsupported(node.program as Node | undefined) ??
        findUnsupported(node.inverse as Node | undefined)
      );
    }
    default:
      return undefined;
  }
}

function firstOf(nodes: readonly Node[]): string | undefined {
  for (const node of nodes) {
    const problem = findUnsupported(node);
    if (problem) return problem;
  }
  return undefined;
}

/** A path that could name a helper: one plain segment, not `this`, `@data` or `../`. */
function helperName(path: Node): string | undefined {
  if (path.type !== 'PathExpression' || path.data || path.depth > 0 || path.parts.length !== 1) return undefined;
  return path.parts[0] as string;
}

function at(node: Node, message: string): string {
  const line = node.loc?.start?.line;
  return line === undefined ? message : `${message} (line ${line})`;
}
