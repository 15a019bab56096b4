/**
 * JSONPath for the ingest path, over jsonpath-plus (SPEC §5, §8, §13).
 *
 * Three things this wrapper adds to the library:
 * - Script expressions (`[?(…)]`, `[(…)]`) are always disabled (`eval: false`): paths
 *   come from listener settings and must never run code inside the server.
 * - `checkPath` is a real syntax check. jsonpath-plus accepts nearly any string and
 *   guesses (`$.a[` means `$.a`, `$.a]` names a property called `$.a`, `$.a['b` reads
 *   `b`), so a typo would silently select nothing at request time; we reject it when
 *   the setting is saved. It has no validating parser to call (10.3: `toPathArray`
 *   never throws), and the strict parsers of `jsonpath` and RFC 9535 libraries read
 *   other dialects (no `^`, `~` or `@string()`), so `scan` below follows the grammar
 *   jsonpath-plus documents.
 * - Paths are compiled once and cached. A plain chain of names and indexes
 *   (`$.body.type`, `$.query['hub.mode']`, `$.items[0].id`) — nearly every path a
 *   listener uses — is walked directly, without the library's per-call allocations;
 *   anything else (wildcards, `..`, slices, unions) goes to jsonpath-plus. The direct
 *   walk follows exactly the library's rule for a name: descend when the value is
 *   truthy and has that own property.
 *
 * A leading `$` is optional, as in jsonpath-plus: `body.type` means `$.body.type`.
 */
import { JSONPath } from 'jsonpath-plus';

const MAX_PATH_LENGTH = 1000;
const MAX_CACHED_PATHS = 10_000;

interface CompiledPath {
  /** Set when the path is a plain chain of names: the names to walk from the root. */
  keys: string[] | undefined;
  /** The path as given, for jsonpath-plus. */
  source: string;
}

const compiled = new Map<string, CompiledPath>();

/**
 * One engine for every evaluation: `JSONPath({...})` would build a fresh instance
 * (and sandbox) per call. Evaluation is synchronous, so sharing it is safe.
 */
const engine = JSONPath({ path: '$', json: null, autostart: false, eval: false, wrap: true, resultType: 'value' });

/** The values `path` selects in `json`, in document order. Never undefined. */
export function queryPath(path: string, json: unknown): unknown[] {
  const compiledPath = compile(path);
  if (compiledPath.keys) return walk(compiledPath.keys, json);
  return evaluate(compiledPath.source, json, 'value') as unknown[];
}

/**
 * Returns why `path` is not a usable JSONPath, or undefined when it is. Run when a
 * setting is saved; `queryPath` throws the same message for a path that fails it.
 */
export function checkPath(path: string): string | undefined {
  if (typeof path !== 'string') return 'must be a JSONPath string';
  if (path.length === 0) return 'must not be empty';
  if (path.length > MAX_PATH_LENGTH) return `must be at most ${MAX_PATH_LENGTH} characters`;
  return scan(path);
}

/**
 * Returns `json` with the values at `paths` replaced by `mask` (PII redaction in
 * debug logs). Never mutates `json`: when something matches, the result is a deep
 * copy; when nothing matches, `json` itself is returned, so treat the result as
 * read-only. A path that selects the whole document masks the whole document.
 */
export function maskPaths(json: unknown, paths: readonly string[], mask: string): unknown {
  const pointers: string[][] = [];
  for (const path of paths) {
    for (const pointer of evaluate(compile(path).source, json, 'pointer') as string[]) {
      if (pointer === '') return mask;
      pointers.push(pointer.slice(1).split('/').map(unescapePointerToken));
    }
  }
  if (pointers.length === 0) return json;
  const copy = structuredClone(json);
  for (const tokens of pointers) setAt(copy, tokens, mask);
  return copy;
}

function compile(path: string): CompiledPath {
  const cached = compiled.get(path);
  if (cached) return cached;
  const problem = checkPath(path);
  if (problem) throw new TypeError(`Invalid JSONPath ${JSON.stringify(path)}: ${problem}`);
  const entry: CompiledPath = { keys: plainKeys(path), source: path };
  // Paths come from settings, so the set is small; the bound only guards against misuse.
  if (compiled.size >= MAX_CACHED_PATHS) compiled.delete(compiled.keys().next().value as string);
  compiled.set(path, entry);
  return entry;
}

function plainKeys(path: string): string[] | undefined {
  const tokens = JSONPath.toPathArray(path);
  const keys = tokens[0] === '$' ? tokens.slice(1) : tokens;
  for (const key of keys) {
    if (key === '' || key === '*' || key === '..' || key === '$' || key === '^' || key === '~') return undefined;
    if (key[0] === '@' || key[0] === '`' || key[0] === '?' || key[0] === '(') return undefined;
    if (key.includes(',') || /^-?\d*:/.test(key)) return undefined;
  }
  return keys;
}

function walk(keys: readonly string[], json: unknown): unknown[] {
  let value: any = json;
  for (const key of keys) {
    if (!value || !Object.hasOwn(value, key)) return [];
    value = value[key];
  }
  return [value];
}

function evaluate(path: string, json: unknown, resultType: 'value' | 'pointer'): unknown[] {
  // jsonpath-plus returns undefined for a falsy document; only the root can match one.
  if (!json) return path === '$' ? [resultType === 'value' ? json : ''] : [];
  const options = { path, json: json as object, wrap: true, eval: false, resultType, callback: undefined, otherTypeCallback: undefined };
  return engine.evaluate(options) as unknown[];
}

function unescapePointerToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

function setAt(root: unknown, tokens: readonly string[], mask: string): void {
  let parent: any = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    parent = parent?.[tokens[i]!];
    // An enclosing value was masked already: nothing left to reach.
    if (parent === null || typeof parent !== 'object') return;
  }
  if (parent !== null && typeof parent === 'object') parent[tokens[tokens.length - 1]!] = mask;
}

const TYPE_SELECTOR = /^@(?:null|boolean|number|string|integer|undefined|nonFinite|scalar|array|object|function)\(\)/;
const SLICE = /^-?\d*:-?\d*(?::\d*)?$/;

/** Walks the path once, by the grammar jsonpath-plus documents, and names the first fault. */
function scan(path: string): string | undefined {
  let i = path[0] === '$' ? 1 : 0;
  if (i === 0) {
    const length = nameLength(path, 0);
    if (length === 0) return at(0, 'expected `$` or a property name');
    i = length;
  }
  while (i < path.length) {
    const char = path[i];
    if (char === '[') {
      const end = bracketEnd(path, i);
      if (typeof end === 'string') return end;
      const problem = checkBracket(path.slice(i + 1, end), i);
      if (problem) return problem;
      i = end + 1;
    } else if (char === '.') {
      i += path[i + 1] === '.' ? 2 : 1;
      if (path[i] === '[' && path[i - 2] === '.') continue;
      if (path[i] === '*') {
        i += 1;
        continue;
      }
      const length = nameLength(path, i);
      if (length === 0) return at(i, 'expected a property name after `.`');
      i += length;
    } else if (char === '^' || char === '~') {
      i += 1;
    } else if (char === '@') {
      const selector = TYPE_SELECTOR.exec(path.slice(i));
      if (!selector) return at(i, 'unknown type selector (allowed: @string(), @number(), @object(), …; @other() is not)');
      i += selector[0].length;
    } else {
      return at(i, `unexpected ${JSON.stringify(char)}`);
    }
  }
  return undefined;
}

/** Length of the unquoted property name starting at `start` (0 when there is none). */
function nameLength(path: string, start: number): number {
  let i = start;
  while (i < path.length && !/[\s.[\]'"()^~@`,?]/.test(path[i]!)) i++;
  return i - start;
}

/** Index of the `]` closing the bracket opened at `start`, skipping quoted text. */
function bracketEnd(path: string, start: number): number | string {
  let quote: string | undefined;
  let depth = 0;
  for (let i = start + 1; i < path.length; i++) {
    const char = path[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '(') {
      depth++;
    } else if (char === ')') {
      depth--;
    } else if (char === ']' && depth <= 0) {
      return i;
    }
  }
  return at(start, quote ? 'unclosed quote' : 'unclosed `[`');
}

function checkBracket(content: string, position: number): string | undefined {
  const trimmed = content.trim();
  if (trimmed.startsWith('?(') || trimmed.startsWith('(')) return at(position, 'script expressions are disabled; select by name or index');
  if (trimmed === '') return at(position, 'empty `[]`');
  if (trimmed === '*' || SLICE.test(trimmed)) return undefined;
  // jsonpath-plus splits quoted names on `,` and `]` and reads `'*'` as a wildcard.
  if (/^'[^']*'$/.test(trimmed) || /^"[^"]*"$/.test(trimmed)) {
    if (/[\],]/.test(trimmed) || trimmed.length === 3 && trimmed[1] === '*') return at(position, 'a quoted name cannot contain `]` or `,`, or be `*`');
    return undefined;
  }
  for (const part of trimmed.split(',')) {
    const item = part.trim();
    if (/^-?\d+$/.test(item)) continue;
    if (item.length > 0 && nameLength(item, 0) === item.length) continue;
    return at(position, `cannot read ${JSON.stringify(item)} inside \`[]\` (use one quoted name, indexes or names separated by commas, \`*\` or a slice)`);
  }
  return undefined;
}

function at(position: number, message: string): string {
  return `${message} (at character ${position + 1})`;
}
