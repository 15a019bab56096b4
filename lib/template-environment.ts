/**
 * The one Handlebars environment of hookport and its helpers (lib/templates.ts
 * compiles and renders with it; lib/template-syntax.ts checks templates against it).
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
 */
import { createHash, createHmac } from 'node:crypto';
import Handlebars from 'handlebars';

/** Handlebars options for every template (see lib/templates.ts: no HTML escaping, missing fields are empty). */
export const COMPILE_OPTIONS = { strict: false, noEscape: true } as const;

const HMAC_ALGORITHMS = new Set(['sha1', 'sha256', 'sha384', 'sha512']);
const ENCODINGS = new Set(['hex', 'base64', 'base64url']);

/** The helper and data slot through which a typed template hands back its value (lib/templates.ts `soleExpression`). */
export const VALUE_HELPER = 'hookportValue';
export const VALUE_SLOT = 'hookportValueSlot';

export const environment = Handlebars.create();

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
