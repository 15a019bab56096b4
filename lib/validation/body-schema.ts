/**
 * The listener's `validation.schema` (SPEC §10): a JSON Schema that accepted
 * bodies must satisfy. The one ajv instance besides lib/schema.ts's, for what ajv
 * cannot set per schema: ours fills in `default`s (`useDefaults` is an option of
 * the whole instance), and a partner's body must never be changed by its
 * listener's schema; and user schemas (with their own $id) must not collide with
 * ours. Errors are worded by lib/schema.ts like every other.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../errors';
import { toFieldErrors } from '../schema';

const userAjv = new Ajv({ allErrors: true, strict: false, validateSchema: true, addUsedSchema: false });
addFormats(userAjv);

const cache = new WeakMap<object, ValidateFunction>();

function compile(schema: object | boolean): ValidateFunction {
  if (typeof schema === 'boolean') return userAjv.compile(schema);
  let validate = cache.get(schema);
  if (!validate) {
    validate = userAjv.compile(schema);
    cache.set(schema, validate);
  }
  return validate;
}

/** Save-time check: the schema must compile. */
export function checkBodySchema(schema: unknown, field: string): FieldError[] {
  if (schema === null || schema === undefined) return [];
  try {
    compile(schema as object | boolean);
    return [];
  } catch (error) {
    return [{ path: field, message: `is not a valid JSON Schema: ${(error as Error).message}` }];
  }
}

export type BodyValidator = (body: unknown) => FieldError[];

export function compileBodySchema(schema: object | boolean): BodyValidator {
  const validate = compile(schema);
  return (body) => (validate(body) ? [] : toFieldErrors(validate.errors));
}
