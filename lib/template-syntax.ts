/**
 * What hookport reads in a template's syntax tree (Handlebars' own parser): the
 * constructs it refuses when a template is saved (partials, decorators, calls to
 * helpers that do not exist), and whether a template reads a variable.
 */
import Handlebars from 'handlebars';
import { environment } from './template-environment';

/** Whether a template reads the variable `name` anywhere (a path starting with it, e.g. `secret`). */
export function templateReads(source: string, name: string): boolean {
  let found = false;
  const visit = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    const candidate = node as { type?: string; parts?: string[]; head?: string };
    if (candidate.type === 'PathExpression' && (candidate.parts?.[0] === name || candidate.head === name)) {
      found = true;
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  try {
    visit(Handlebars.parse(source));
  } catch {
    return false; // a template that does not parse is reported by checkTemplate
  }
  return found;
}

export type Node = { type: string; [member: string]: any };

/** Names the first construct we refuse: partials, decorators, calls to unknown helpers. */
export function findUnsupported(node: Node | undefined): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  switch (node.type) {
    case 'Program':
      return firstOf(node.body as Node[]);
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return at(node, 'partials are not supported');
    case 'Decorator':
    case 'DecoratorBlock':
      return at(node, 'decorators are not supported');
    case 'MustacheStatement':
    case 'BlockStatement':
    case 'SubExpression': {
      const called = node.params.length > 0 || node.hash !== undefined || node.type === 'SubExpression';
      const name = helperName(node.path as Node);
      if (called && name !== undefined && !Object.hasOwn(environment.helpers, name)) return at(node, `unknown helper "${name}"`);
      return (
        firstOf(node.params as Node[]) ??
        firstOf(((node.hash?.pairs ?? []) as Node[]).map((pair) => pair.value as Node)) ??
        findUnsupported(node.program as Node | undefined) ??
        findUnsupported(node.inverse as Node | undefined)
      );
    }
    default:
      return undefined;
  }
}

function firstOf(nodes: readonly Node[]): string | undefined {
  for (const node of nodes) {
    const problem = findUnsupported(node);
    if (problem) return problem;
  }
  return undefined;
}

/** A path that could name a helper: one plain segment, not `this`, `@data` or `../`. */
function helperName(path: Node): string | undefined {
  if (path.type !== 'PathExpression' || path.data || path.depth > 0 || path.parts.length !== 1) return undefined;
  return path.parts[0] as string;
}

function at(node: Node, message: string): string {
  const line = node.loc?.start?.line;
  return line === undefined ? message : `${message} (line ${line})`;
}
