/**
 * The listener's `validation.schema` (SPEC §10): a JSON Schema that accepted
 * bodies must satisfy. A separate ajv instance from the one that validates our own
 * API, so that user schemas (with their own $id, formats) cannot collide with ours.
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
