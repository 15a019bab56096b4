/**
 * The one schema library: TypeBox builds JSON Schemas (with static types), ajv
 * validates them. Configuration, listener settings and every admin API body go
 * through `compileValidator`, compiled once at module load, never per request;
 * verifier settings (plugins/verifiers/config-validator.ts) compile on the same
 * instance, and every ajv error is worded here, once (`toFieldErrors`).
 *
 * The one other ajv instance validates listeners' own body schemas
 * (lib/validation/body-schema.ts): ajv's `useDefaults` is an option of the whole
 * instance, and ours fills in defaults, which must never change a partner's body.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';
import { AppError, type FieldError } from './errors';

/** `verbose` keeps each error's schema and data (for `hookportMessage` and union filtering); `discriminator` reads verifier settings' tagged unions. */
export const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false, verbose: true, discriminator: true });
addFormats(ajv);
/** A schema's own wording for its failure (verifier settings use it for unions), in place of ajv's. */
ajv.addKeyword({ keyword: 'hookportMessage', schemaType: 'string' });

const FORMAT_NAMES: Record<string, string> = {
  'date-time': 'an ISO-8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z',
  uri: 'an absolute URL',
};

/** A JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON pointer of a member of `base`, escaping `~` and `/` as RFC 6901 asks (the one escaper). */
export function childPath(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Dotted names of every place in `schema` where a property `name` is allowed (`records.resourcePath`); `[]` marks list items. */
function placesOf(schema: unknown, name: string, at = '', found: string[] = [], depth = 0): string[] {
  if (!schema || typeof schema !== 'object' || depth > 12) return found;
  const node = schema as { properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[]; oneOf?: unknown[]; allOf?: unknown[] };
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const place = at ? `${at}.${key}` : key;
    if (key === name && !found.includes(place)) found.push(place);
    placesOf(child, name, place, found, depth + 1);
  }
  for (const branch of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) placesOf(branch, name, at, found, depth + 1);
  if (node.items) placesOf(node.items, name, `${at}[]`, found, depth + 1);
  return found;
}

/** "is not an allowed field", plus where the field does belong when the schema has it elsewhere (a misplaced field). */
function notAllowed(root: unknown, instancePath: string, name: string): string {
  const here = instancePath.split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? '[]' : part)).join('.').replace(/\.\[\]/g, '[]');
  const places = root ? placesOf(root, name).filter((place) => place !== (here ? `${here}.${name}` : name)) : [];
  if (places.length === 0) return 'is not an allowed field';
  return `is not an allowed field here; did you mean ${places.slice(0, 3).join(' or ')}?`;
}

function annotation(error: ErrorObject): string | undefined {
  const schema = error.parentSchema as { hookportMessage?: unknown } | undefined;
  return typeof schema?.hookportMessage === 'string' ? schema.hookportMessage : undefined;
}

function discriminatorValues(error: ErrorObject): string[] {
  const schema = error.parentSchema as { oneOf?: Array<{ properties?: Record<string, { const?: unknown }> }>; discriminator?: { propertyName?: string } } | undefined;
  const tag = schema?.discriminator?.propertyName ?? '';
  return (schema?.oneOf ?? []).map((branch) => String(branch.properties?.[tag]?.const));
}

const oneOf = (values: readonly unknown[]) => `must be one of ${values.map((value) => JSON.stringify(value)).join(', ')}`;

/** One ajv error as a field error; `base` is prefixed to every path (`/verification`). */
function describe(error: ErrorObject, root: unknown, base: string): FieldError {
  const params = error.params as Record<string, unknown>;
  const path = base + error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        path: childPath(path, String(params.additionalProperty)),
        message: notAllowed(root, error.instancePath, String(params.additionalProperty)),
      };
    case 'required':
      return { path: childPath(path, String(params.missingProperty)), message: 'is required' };
    case 'enum':
      return { path: path || '/', message: oneOf(params.allowedValues as unknown[]) };
    case 'const':
      return { path: path || '/', message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'format':
      return { path: path || '/', message: `must be ${FORMAT_NAMES[String(params.format)] ?? `a valid ${String(params.format)}`}` };
    case 'discriminator':
      return { path: childPath(path, String(params.tag)), message: oneOf(discriminatorValues(error)) };
    default:
      return { path: path || '/', message: annotation(error) ?? error.message ?? 'is invalid' };
  }
}

/** The errors as field errors, in order, each (path, message) once. */
export function describeSchemaErrors(errors: readonly ErrorObject[], root?: unknown, base = ''): FieldError[] {
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors) {
    const fieldError = describe(error, root, base);
    const key = `${fieldError.path}\u0000${fieldError.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(fieldError);
  }
  return result;
}

/** Keeps the most useful error per path: unions (anyOf) produce noise for every branch. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, root?: unknown): FieldError[] {
  if (!errors) return [];
  const result = describeSchemaErrors(errors.filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'oneOf' && error.keyword !== 'if'), root);
  if (result.length === 0 && errors.length > 0) result.push(describe(errors[0]!, root, ''));
  return result;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };
export type Validator<T> = (value: unknown) => Validation<T>;

/**
 * Compiles a schema once. The validator fills defaults in place (ajv `useDefaults`),
 * so callers pass a copy when the input must stay untouched.
 */
export function compileValidator<S extends TSchema>(schema: S): Validator<Static<S>> {
  const validate = ajv.compile(schema);
  return (value: unknown) => {
    if (validate(value)) return { ok: true, value: value as Static<S> };
    return { ok: false, errors: toFieldErrors(validate.errors, schema) };
  };
}

/** Throws a 400 problem naming every bad field. */
export function invalid(errors: FieldError[], prefix = ''): AppError {
  const prefixed = errors.map((e) => ({ path: prefix + e.path, message: e.message }));
  const detail = prefixed.map((e) => `${e.path} ${e.message}`).join('; ');
  return new AppError('ERR_INVALID_REQUEST', detail, { extensions: { errors: prefixed } });
}
