/**
 * The body path of the token verifier: a dotted path such as `myAuth.token`
 * (Celigo's form) or a JSONPath without wildcards or filters, such as
 * `$.myAuth.token`, `$['my.key'].token` or `$.items[0].token`. One token sits at
 * one place, so paths that could select several values are refused at save time.
 */
export type PathSegments = string[];

const DOT_NAME = /^[^.[\]'"]+/;

/** The segments of `path`, or undefined when it is not a plain path. */
export function parseBodyPath(path: string): PathSegments | undefined {
  let rest = path.trim();
  const segments: string[] = [];
  if (rest.startsWith('$')) {
    rest = rest.slice(1);
    if (rest === '') return undefined;
  } else {
    const first = DOT_NAME.exec(rest);
    if (!first) return undefined;
    segments.push(first[0]);
    rest = rest.slice(first[0].length);
  }
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const name = DOT_NAME.exec(rest.slice(1));
      if (!name || name[0] === '*') return undefined;
      segments.push(name[0]);
      rest = rest.slice(1 + name[0].length);
      continue;
    }
    const quoted = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
    if (quoted) {
      segments.push((quoted[1] ?? quoted[2]!).replace(/\\(.)/g, '$1'));
      rest = rest.slice(quoted[0].length);
      continue;
    }
    const index = /^\[\s*(\d+)\s*\]/.exec(rest);
    if (index) {
      segments.push(index[1]!);
      rest = rest.slice(index[0].length);
      continue;
    }
    return undefined;
  }
  return segments.length > 0 ? segments : undefined;
}

/** Normalised JSONPath for the same segments (debug-log redaction takes JSONPath). */
export function toJsonPath(segments: PathSegments): string {
  return (
    '$' +
    segments
      .map((segment) => {
        if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) return `.${segment}`;
        if (/^\d+$/.test(segment)) return `[${segment}]`;
        return `['${segment.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
      })
      .join('')
  );
}

const hasOwn = (value: object, key: string): boolean => Object.prototype.hasOwnProperty.call(value, key);

/** The value at `segments`, walking own properties only (no `__proto__` surprises). */
export function valueAt(root: unknown, segments: PathSegments): unknown {
  let current: unknown = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Sets `value` at `segments`, creating objects on the way (used to build signed test requests). */
export function setValueAt(root: Record<string, unknown>, segments: PathSegments, value: unknown): void {
  let current: Record<string, unknown> = root;
  segments.forEach((segment, index) => {
    if (index === segments.length - 1) {
      current[segment] = value;
      return;
    }
    const next = current[segment];
    if (next === null || typeof next !== 'object') current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  });
}
