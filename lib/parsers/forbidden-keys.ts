/**
 * Keys that could reach Object.prototype when a parsed body is later merged,
 * copied or walked by path (prototype pollution, CWE-1321).
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Cheap pre-check on raw JSON text. A "__proto__" key can only appear literally
 * or with at least one \u escape (the only JSON escape that yields letters or
 * "_"), so text without either has no such key and needs no walk.
 */
export function mayContainProtoKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('\\u');
}

/**
 * Returns the JSONPath-like location of the first own "__proto__" key in a
 * parsed JSON value, or undefined. Iterative: JSON.parse accepts nesting deep
 * enough to overflow a recursive walk.
 */
export function findProtoKey(value: unknown): string | undefined {
  const pending: Array<[unknown, string]> = [[value, '$']];
  while (pending.length > 0) {
    const [current, path] = pending.pop() as [unknown, string];
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      for (let index = 0; index < current.length; index += 1) pending.push([current[index], `${path}[${index}]`]);
      continue;
    }
    if (Object.hasOwn(current, '__proto__')) return `${path}.__proto__`;
    for (const [key, child] of Object.entries(current)) pending.push([child, `${path}.${key}`]);
  }
  return undefined;
}

export function protoKeyDetail(where: string): string {
  return `a "__proto__" key at ${where}, refused because it can pollute object prototypes`;
}
