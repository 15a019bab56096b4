/**
 * Just enough of a TypeScript lexer for code-search tests: blanks out comments,
 * and replaces string, template and regular-expression literals by placeholders
 * (`""`, `/re/`), keeping every newline so line numbers still match. Template
 * literals keep their `${…}` expressions, which can hold comparisons too. Then
 * finds equality comparisons and the operand on each side of them.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Characters after which a `/` starts a regular expression rather than a division. */
const REGEX_AFTER = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'case', 'in', 'of', 'delete', 'void', 'throw', 'new', 'yield', 'await']);

export function stripCommentsAndLiterals(source: string): string {
  let out = '';
  let i = 0;
  // Brace depth of each open template expression, innermost last.
  const templateDepths: number[] = [];
  let depth = 0;

  const lastSignificant = (): string => {
    const trimmed = out.trimEnd();
    const word = /[A-Za-z_$][\w$]*$/.exec(trimmed);
    if (word && REGEX_AFTER_WORDS.has(word[0])) return '';
    return trimmed.slice(-1);
  };
  const keepNewlines = (text: string) => text.replace(/[^\n]/g, ' ');

  /** Skips a template's text from `i` (just after a backtick or a closing `}`); stops after the closing backtick or at `${`. */
  const templateText = () => {
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\') {
        i += 2;
      } else if (c === '`') {
        i += 1;
        out += '""';
        return;
      } else if (c === '$' && source[i + 1] === '{') {
        i += 2;
        out += '"" + (';
        templateDepths.push(depth);
        depth += 1;
        return;
      } else {
        if (c === '\n') out += '\n';
        i += 1;
      }
    }
  };

  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? source.length : end;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += keepNewlines(source.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c && source[j] !== '\n') j += source[j] === '\\' ? 2 : 1;
      out += '""';
      i = j + 1;
    } else if (c === '`') {
      i += 1;
      templateText();
    } else if (c === '/' && REGEX_AFTER.has(lastSignificant())) {
      let j = i + 1;
      let inClass = false;
      while (j < source.length && source[j] !== '\n') {
        const r = source[j]!;
        if (r === '\\') j += 1;
        else if (r === '[') inClass = true;
        else if (r === ']') inClass = false;
        else if (r === '/' && !inClass) break;
        j += 1;
      }
      j += 1;
      while (j < source.length && /[a-z]/.test(source[j]!)) j += 1;
      out += '/re/';
      i = j;
    } else if (c === '{') {
      depth += 1;
      out += c;
      i += 1;
    } else if (c === '}') {
      depth -= 1;
      i += 1;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth) {
        templateDepths.pop();
        out += ') + ';
        templateText();
      } else {
        out += c;
      }
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

export interface Comparison {
  line: number;
  operator: string;
  left: string;
  right: string;
}

const OPEN: Record<string, string> = { ')': '(', ']': '[' };
const CLOSE: Record<string, string> = { '(': ')', '[': ']' };
const WORD = /[\w$.]/;

/** The operand that ends just before `end` (identifiers, member access, calls, indexing, `!`). */
function operandBefore(text: string, end: number): string {
  let i = end;
  while (i > 0 && /\s/.test(text[i - 1]!)) i -= 1;
  const stop = i;
  while (i > 0) {
    const c = text[i - 1]!;
    if (WORD.test(c) || c === '"' || (c === '?' && text[i] === '.')) {
      i -= 1;
    } else if (c === '!' && i - 2 >= 0 && /[\w$)\]]/.test(text[i - 2]!)) {
      i -= 1;
    } else if (OPEN[c]) {
      let level = 0;
      let j = i - 1;
      for (; j >= 0; j -= 1) {
        if (text[j] === c) level += 1;
        else if (text[j] === OPEN[c]) level -= 1;
        if (level === 0) break;
      }
      i = j;
    } else {
      break;
    }
  }
  const operand = text.slice(i, stop);
  return /\btypeof\s+$/.test(text.slice(Math.max(0, i - 8), i)) ? `typeof ${operand}` : operand;
}

/** The operand that starts at `start` (as above, plus a leading `typeof`, `-` or a `/re/` placeholder). */
function operandAfter(text: string, start: number): string {
  let i = start;
  while (i < text.length && /\s/.test(text[i]!)) i += 1;
  const begin = i;
  const prefix = /^(typeof\s+|-)/.exec(text.slice(i));
  if (prefix) i += prefix[0].length;
  if (text.startsWith('/re/', i)) return text.slice(begin, i + 4);
  while (i < text.length) {
    const c = text[i]!;
    if (WORD.test(c) || c === '"' || (c === '?' && text[i + 1] === '.') || (c === '!' && text[i + 1] === '.')) {
      i += 1;
    } else if (CLOSE[c]) {
      let level = 0;
      let j = i;
      for (; j < text.length; j += 1) {
        if (text[j] === c) level += 1;
        else if (text[j] === CLOSE[c]) level -= 1;
        if (level === 0) break;
      }
      i = j + 1;
    } else {
      break;
    }
  }
  return text.slice(begin, i).trim();
}

/** Every `===`, `!==`, `==` and `!=` in (stripped) source, with its two operands. */
export function findComparisons(stripped: string): Comparison[] {
  const comparisons: Comparison[] = [];
  const operator = /(?<![=!<>])(===|!==|==|!=)(?!=)/g;
  for (let match = operator.exec(stripped); match; match = operator.exec(stripped)) {
    comparisons.push({
      line: stripped.slice(0, match.index).split('\n').length,
      operator: match[1]!,
      left: operandBefore(stripped, match.index),
      right: operandAfter(stripped, match.index + match[1]!.length),
    });
  }
  return comparisons;
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
