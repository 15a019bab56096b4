/**
 * The project's import graph, read with the TypeScript compiler's own
 * pre-processor (`ts.preProcessFile`): every `import`, `import type`,
 * `export … from`, `require` and dynamic `import()` of every .ts file, with
 * relative specifiers resolved to repository paths (`lib/errors.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { typeScriptFiles } from './source-scan';

export interface ImportEdge {
  from: string;
  to: string;
  specifier: string;
  line: number;
}

/** The .ts file a relative specifier names (`./x`, `./x.js`, `./dir` → `./dir/index.ts`), or undefined. */
export function resolveSpecifier(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.join(path.dirname(path.join(root, from)), specifier.replace(/\.js$/, ''));
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return path.relative(root, candidate).split(path.sep).join('/');
  }
  return undefined;
}

/** The imports of one source text, resolved relative to `from`. Unresolvable relative imports come back with `to: ''`. */
export function importsOf(root: string, from: string, source: string): ImportEdge[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles
    .filter((file) => file.fileName.startsWith('.') && !file.fileName.endsWith('.json'))
    .map((file) => ({
      from,
      to: resolveSpecifier(root, from, file.fileName) ?? '',
      specifier: file.fileName,
      line: ts.getLineAndCharacterOfPosition(ts.createSourceFile(from, source, ts.ScriptTarget.Latest), file.pos).line + 1,
    }));
}

/** Every relative import of every .ts file under `dirs`. */
export function importGraph(root: string, dirs: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const dir of dirs) {
    for (const file of typeScriptFiles(root, dir)) edges.push(...importsOf(root, file, fs.readFileSync(path.join(root, file), 'utf8')));
  }
  return edges;
}
