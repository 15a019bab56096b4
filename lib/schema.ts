/**
 * The one schema library: TypeBox builds JSON Schemas (with static types), ajv
 * validates them. Configuration, listener settings and every admin API body go
 * through `compileValidator`, compiled once at module load, never per request.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { Static, TSchema } from '@sinclair/typebox';
import { AppError, type FieldError } from './errors';

export const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, coerceTypes: false });
addFormats(ajv);

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

function describe(error: ErrorObject, root?: unknown): FieldError {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        path: childPath(error.instancePath, String(params.additionalProperty)),
        message: notAllowed(root, error.instancePath, String(params.additionalProperty)),
      };
    case 'required':
      return { path: childPath(error.instancePath, String(params.missingProperty)), message: 'is required' };
    case 'enum':
      return { path: error.instancePath || '/', message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path: error.instancePath || '/', message: `must be ${JSON.stringify(params.allowedValue)}` };
    default:
      return { path: error.instancePath || '/', message: error.message ?? 'is invalid' };
  }
}

/** Keeps the most useful error per path: unions (anyOf) produce noise for every branch. */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, root?: unknown): FieldError[] {
  if (!errors) return [];
  const seen = new Set<string>();
  const result: FieldError[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') continue;
    const fieldError = describe(error, root);
    const key = `${fieldError.path}\u0000${fieldError.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(fieldError);
  }
  if (result.length === 0 && errors.length > 0) result.push(describe(errors[0]!, root));
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
