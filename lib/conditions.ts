/**
 * The condition matcher shared by handshakes, listener filters and record filters
 * (SPEC §5). A condition is `{ path, equals | exists | matches }`; a list holds when
 * every condition holds. A path that selects several values matches if any does.
 *
 * - `equals` compares JSON values deeply. Strings are compared in constant time
 *   (`safeEqual`), because handshakes compare secrets such as Meta's
 *   `hub.verify_token`. A string and a number or boolean compare by text
 *   (`"1"` equals `1`, `"true"` equals `true`): the same field arrives as a string in
 *   a query or form body and as a number in JSON or XML, and a condition should not
 *   care which.
 * - `exists: true` holds when the path selects a value (null counts); `false` when it
 *   selects none.
 * - `matches` is a JavaScript regular expression source (no flags), tested against
 *   strings, numbers and booleans. Patterns longer than 500 characters are refused.
 *   A pattern runs against sender-controlled text, so integrators should avoid nested
 *   quantifiers; the length cap limits, but cannot rule out, slow patterns.
 *
 * Everything is compiled once (paths and patterns are cached); the returned
 * predicate does no parsing per call.
 */
import type { FieldError } from './errors';
import { checkPath, queryPath } from './json-path';
import { safeEqual } from './security/constant-time';

/** A condition over `{ method, headers, query, body }` (SPEC §5): `path` is a JSONPath; one of the tests applies. */
export interface Condition {
  path: string;
  equals?: unknown;
  exists?: boolean;
  matches?: string;
}

export const MAX_PATTERN_LENGTH = 500;
const MAX_CACHED_PATTERNS = 10_000;

export type Predicate = (subject: unknown) => boolean;

export interface CompileConditionsOptions {
  /**
   * Lower-cases the header name in paths under `$.headers` (`$.headers['X-Hub-Mode']`
   * reads `x-hub-mode`), because Node gives header names in lower case. Set it for
   * conditions over the `{ method, headers, query, body }` request subject.
   */
  headerNamesCaseInsensitive?: boolean;
}

const patterns = new Map<string, RegExp>();
const always: Predicate = () => true;

/**
 * Compiles conditions into one predicate. Throws a TypeError for a condition that
 * `checkConditions` would reject; validate settings with it when they are saved.
 */
export function compileConditions(conditions: readonly Condition[], options: CompileConditionsOptions = {}): Predicate {
  if (conditions.length === 0) return always;
  const predicates = conditions.map((condition) => compileCondition(condition, options));
  if (predicates.length === 1) return predicates[0]!;
  return (subject) => {
    for (const predicate of predicates) if (!predicate(subject)) return false;
    return true;
  };
}

/**
 * Save-time validation. `basePath` is the JSON Pointer of the list in the settings
 * (e.g. `/handshake/0/when`); each error's path points into it.
 */
export function checkConditions(conditions: unknown, basePath: string): FieldError[] {
  if (!Array.isArray(conditions)) return [{ path: basePath, message: 'must be a list of conditions' }];
  const errors: FieldError[] = [];
  conditions.forEach((condition: unknown, index) => {
    const at = `${basePath}/${index}`;
    if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
      errors.push({ path: at, message: 'must be an object { path, equals | exists | matches }' });
      return;
    }
    const { path, equals, exists, matches } = condition as Record<string, unknown>;
    const pathProblem = typeof path === 'string' ? checkPath(path) : 'must be a JSONPath string';
    if (pathProblem) errors.push({ path: `${at}/path`, message: pathProblem });
    if (equals === undefined && exists === undefined && matches === undefined) {
      errors.push({ path: at, message: 'needs one of equals, exists or matches' });
    }
    if (exists !== undefined && typeof exists !== 'boolean') {
      errors.push({ path: `${at}/exists`, message: 'must be true or false' });
    } else if (exists === false && (equals !== undefined || matches !== undefined)) {
      errors.push({ path: `${at}/exists`, message: 'exists: false cannot be combined with equals or matches' });
    }
    if (matches !== undefined) {
      const problem = checkPattern(matches);
      if (problem) errors.push({ path: `${at}/matches`, message: problem });
    }
  });
  return errors;
}

function compileCondition(condition: Condition, options: CompileConditionsOptions): Predicate {
  const problem = checkConditions([condition], '').at(0);
  if (problem) throw new TypeError(`Invalid condition${problem.path}: ${problem.message}`);
  const path = options.headerNamesCaseInsensitive ? lowerCaseHeaderName(condition.path) : condition.path;
  const { exists, equals } = condition;
  const pattern = condition.matches === undefined ? undefined : compilePattern(condition.matches);
  const testsValues = equals !== undefined || pattern !== undefined;

  return (subject) => {
    const values = queryPath(path, subject);
    if (exists !== undefined && isPresent(values) !== exists) return false;
    if (!testsValues) return true;
    for (const value of values) {
      if (equals !== undefined && !valuesEqual(value, equals)) continue;
      if (pattern !== undefined && !matchesPattern(value, pattern)) continue;
      return true;
    }
    return false;
  };
}

function isPresent(values: readonly unknown[]): boolean {
  for (const value of values) if (value !== undefined) return true;
  return false;
}

function checkPattern(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'must be a regular expression string';
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`;
  try {
    compilePattern(pattern);
    return undefined;
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
}

function compilePattern(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    // No `g` or `y` flag: `test` must not carry `lastIndex` from one request to the next.
    regex = new RegExp(pattern);
    if (patterns.size >= MAX_CACHED_PATTERNS) patterns.delete(patterns.keys().next().value as string);
    patterns.set(pattern, regex);
  }
  return regex;
}

function matchesPattern(value: unknown, pattern: RegExp): boolean {
  if (typeof value === 'string') return pattern.test(value);
  if (typeof value === 'number' || typeof value === 'boolean') return pattern.test(String(value));
  return false;
}

/** Deep JSON equality; strings in constant time; scalars against strings by text. */
function valuesEqual(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string') {
    if (typeof expected === 'string') return safeEqual(actual, expected);
    if (typeof expected === 'number' || typeof expected === 'boolean') return safeEqual(actual, String(expected));
    return false;
  }
  if (typeof expected === 'string') {
    if (typeof actual === 'number' || typeof actual === 'boolean') return safeEqual(String(actual), expected);
    return false;
  }
  if (actual === expected) return true;
  if (actual === null || expected === null || typeof actual !== 'object' || typeof expected !== 'object') return false;
  if (Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Array.isArray(actual)) {
    const other = expected as unknown[];
    if (actual.length !== other.length) return false;
    for (let i = 0; i < actual.length; i++) if (!valuesEqual(actual[i], other[i])) return false;
    return true;
  }
  const actualKeys = Object.keys(actual);
  const expectedRecord = expected as Record<string, unknown>;
  if (actualKeys.length !== Object.keys(expectedRecord).length) return false;
  for (const key of actualKeys) {
    if (!Object.hasOwn(expectedRecord, key)) return false;
    if (!valuesEqual((actual as Record<string, unknown>)[key], expectedRecord[key])) return false;
  }
  return true;
}

/** `$.headers.X-Foo…` / `$.headers['X-Foo']…` → the same path with the name lower-cased. */
function lowerCaseHeaderName(path: string): string {
  return path.replace(
    /^(\$?\.?headers)(?:\.([^.[]+)|\[(['"])([^'"]*)\3\])/,
    (_whole, prefix: string, dotted: string | undefined, quote: string | undefined, quoted: string | undefined) =>
      dotted !== undefined ? `${prefix}.${dotted.toLowerCase()}` : `${prefix}[${quote}${quoted!.toLowerCase()}${quote}]`,
  );
}
