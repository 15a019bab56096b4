/** Shared by the parser tests: parse through the public entry point and check coded errors. */
import assert from 'node:assert/strict';
import { AppError, type ErrorCode } from '../../lib/errors';
import { parseBody } from '../../lib/parsers/index';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../../lib/parsers/types';

export function parse(body: string | Buffer, contentType: string | undefined, limits: Partial<ParseLimits> = {}): Promise<unknown> {
  return parseBody(typeof body === 'string' ? Buffer.from(body) : body, contentType, { ...DEFAULT_PARSE_LIMITS, ...limits });
}

/** Asserts that `action` throws (or rejects with) an AppError with this code and a detail matching `detail`. */
export async function rejectsWith(action: () => unknown, code: ErrorCode, detail: RegExp): Promise<AppError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof AppError, `expected an AppError, got ${caught === undefined ? 'no error' : String(caught)}`);
  assert.equal(caught.code, code, `code for detail "${caught.detail}"`);
  assert.match(caught.detail ?? '', detail);
  return caught;
}
