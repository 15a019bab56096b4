/**
 * Code search for tests, on the TypeScript compiler's own parser: the files to
 * search, and what tests look for in them (equality comparisons with their two
 * operands, method calls with their receiver and argument, the identifiers a file
 * uses). Comments, strings, templates and regular expressions are never mistaken
 * for code, because the parser, not a hand-written lexer, tells them apart.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Parses TypeScript source text (no type checking, no other file read). */
export function parseSource(source: string, fileName = 'source.ts'): ts.SourceFile {
  return ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** Every node of the file, depth first in source order. */
function eachNode(file: ts.SourceFile, visit: (node: ts.Node) => void): void {
  const walk = (node: ts.Node): void => {
    visit(node);
    ts.forEachChild(node, walk);
  };
  walk(file);
}

function lineOf(file: ts.SourceFile, node: ts.Node): number {
  return file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
}

function isLiteralText(node: ts.Node): boolean {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

/**
 * An expression as written, with every string or template literal in it shown as
 * `""` and every regular expression as `/re/`, so that what a test matches is the
 * code, never the text of a literal; `typeof x` stays `typeof x`.
 */
export function operandText(node: ts.Node, file: ts.SourceFile): string {
  if (isLiteralText(node)) return '""';
  if (ts.isRegularExpressionLiteral(node)) return '/re/';
  const start = node.getStart(file);
  const text = node.getText(file);
  const literals: Array<{ from: number; to: number; as: string }> = [];
  const collect = (child: ts.Node): void => {
    if (isLiteralText(child)) literals.push({ from: child.getStart(file) - start, to: child.getEnd() - start, as: '""' });
    else if (ts.isRegularExpressionLiteral(child)) literals.push({ from: child.getStart(file) - start, to: child.getEnd() - start, as: '/re/' });
    else ts.forEachChild(child, collect);
  };
  ts.forEachChild(node, collect);
  let out = '';
  let at = 0;
  for (const literal of literals) {
    out += text.slice(at, literal.from) + literal.as;
    at = literal.to;
  }
  return out + text.slice(at);
}

export interface Comparison {
  line: number;
  operator: string;
  left: string;
  right: string;
}

const EQUALITY = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
]);

/** Every `===`, `!==`, `==` and `!=` in the source, with its two operands (see operandText). */
export function findComparisons(source: string): Comparison[] {
  const file = parseSource(source);
  const comparisons: Comparison[] = [];
  eachNode(file, (node) => {
    if (!ts.isBinaryExpression(node) || !EQUALITY.has(node.operatorToken.kind)) return;
    comparisons.push({
      line: lineOf(file, node.operatorToken),
      operator: node.operatorToken.getText(file),
      left: operandText(node.left, file),
      right: operandText(node.right, file),
    });
  });
  return comparisons;
}

export interface MethodCall {
  line: number;
  /** What the method is called on, and its first argument (see operandText). */
  receiver: string;
  method: string;
  argument: string;
  /** The whole call as written. */
  text: string;
}

/** Every call `receiver.method(argument, …)` of one of `methods`, with its first argument. */
export function findMethodCalls(source: string, methods: ReadonlySet<string>): MethodCall[] {
  const file = parseSource(source);
  const calls: MethodCall[] = [];
  eachNode(file, (node) => {
    if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
    const method = node.expression.name.text;
    const first = node.arguments[0];
    if (!methods.has(method) || !first) return;
    calls.push({
      line: lineOf(file, node),
      receiver: operandText(node.expression.expression, file),
      method,
      argument: operandText(first, file),
      text: node.getText(file),
    });
  });
  return calls;
}

/** Every identifier the source uses or declares (names in comments and literals are not identifiers). */
export function identifiersIn(source: string): Set<string> {
  const names = new Set<string>();
  eachNode(parseSource(source), (node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) names.add(node.text);
  });
  return names;
}
/** Every `.ts` file under `dir`, as paths relative to `root`. */
export function typeScriptFiles(root: string, dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path.relative(root, full).split(path.sep).join('/'));
    }
  };
  walk(path.join(root, dir));
  return files.sort();
}

/** The repository root: the nearest directory above `from` with package.json, lib/ and plugins/. */
export function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (['package.json', 'lib', 'plugins'].every((name) => fs.existsSync(path.join(dir, name)))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${from}`);
  }
}
