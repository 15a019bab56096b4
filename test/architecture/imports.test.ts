/**
 * The layering rules of issue 9, read from the imports (via the TypeScript
 * compiler, test/helpers/import-graph.ts):
 *
 * 1. Outside plugins/ nothing in the program (lib/, bench/) imports a plugin's
 *    internals: plugins/verifiers/index.ts, the registry, is the one entry
 *    module (tests may unit-test any module). That covers types too: the plugin contract lives in
 *    lib/verification/plugin.ts.
 * 2. No two folders import each other (lib/<folder>/… counted as one folder,
 *    each file at the top of lib/ as its own node, plugins/ as one node).
 * 3. No domain folder imports the HTTP layer: only lib/app.ts and the HTTP
 *    folders (lib/admin/, lib/console/) import lib/admin/ (lib/services.ts wires
 *    the API key service it holds).
 * 4. Relative imports are written one way, without `.js`.
 * 5. lib/ never names a verifier: no string equal to a registered verifier's
 *    name is compared with or switched on; what differs is declared by the plugin.
 *
 * Each rule is first shown to catch a violation, so it cannot pass by finding nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { importGraph, importsOf, type ImportEdge } from '../helpers/import-graph';
import { repositoryRoot, typeScriptFiles } from '../helpers/source-scan';
import { verifierTypes } from '../../plugins/verifiers';

const ROOT = repositoryRoot(__dirname);
const PLUGIN_ENTRY = 'plugins/verifiers/index.ts';

function pluginInternals(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((edge) => !edge.from.startsWith('plugins/') && !edge.from.startsWith('test/'))
    .filter((edge) => edge.to.startsWith('plugins/') && edge.to !== PLUGIN_ENTRY)
    .map((edge) => `${edge.from}:${edge.line} imports ${edge.specifier}`);
}

/** The node a file counts as for rule 2. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'plugins') return 'plugins';
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : file;
}

function mutualFolders(edges: readonly ImportEdge[]): string[] {
  const pairs = new Map<string, ImportEdge>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from !== to && !pairs.has(`${from} -> ${to}`)) pairs.set(`${from} -> ${to}`, edge);
  }
  const found: string[] = [];
  for (const [key, edge] of pairs) {
    const [from, to] = key.split(' -> ') as [string, string];
    const back = pairs.get(`${to} -> ${from}`);
    if (back && from < to) found.push(`${from} <-> ${to} (${edge.from} imports ${edge.to}; ${back.from} imports ${back.to})`);
  }
  return found;
}

function domainImportsOfAdmin(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((edge) => edge.to.startsWith('lib/admin/') && !edge.from.startsWith('lib/admin/') && !edge.from.startsWith('lib/console/') && !edge.from.startsWith('lib/cli/'))
    .filter((edge) => !['lib/app.ts', 'lib/services.ts'].includes(edge.from))
    .map((edge) => `${edge.from}:${edge.line} imports ${edge.to}`);
}

/** `x === 'basic'`, `'secret_url' !== x`, `case 'none':` with a verifier's name. */
function verifierNameChecks(file: string, source: string, names: ReadonlySet<string>): string[] {
  const found: string[] = [];
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const named = (node: ts.Node) => ts.isStringLiteralLike(node) && names.has(node.text);
  const equality = new Set([ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken]);
  const visit = (node: ts.Node): void => {
    const hit =
      (ts.isBinaryExpression(node) && equality.has(node.operatorToken.kind) && (named(node.left) || named(node.right))) ||
      (ts.isCaseClause(node) && named(node.expression));
    if (hit) found.push(`${file}:${sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${node.getText().split('\n')[0]}`);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

describe('architecture: imports and the plugin boundary', () => {
  describe('the rules', () => {
    it('catch an import of a plugin internal and let the registry through', () => {
      const edges = [
        ...importsOf(ROOT, 'lib/ingest/x.ts', "import { BASIC_CHALLENGE } from '../../plugins/verifiers/basic';"),
        ...importsOf(ROOT, 'lib/ingest/y.ts', "import type { X } from '../../plugins/verifiers/presets/types.js';"),
        ...importsOf(ROOT, 'lib/ingest/z.ts', "import { getVerifier } from '../../plugins/verifiers';"),
      ];
      assert.deepEqual(pluginInternals(edges), [
        'lib/ingest/x.ts:1 imports ../../plugins/verifiers/basic',
        'lib/ingest/y.ts:1 imports ../../plugins/verifiers/presets/types.js',
      ]);
    });

    it('catch two folders importing each other, and not one-way imports', () => {
      const edges = [
        ...importsOf(ROOT, 'lib/flows/a.ts', "import type { AdminRoutes } from '../admin/routes';"),
        ...importsOf(ROOT, 'lib/admin/b.ts', "import { FlowService } from '../flows/flow-service';"),
        ...importsOf(ROOT, 'lib/debug/c.ts', "import { FlowService } from '../flows/flow-service';"),
      ];
      assert.equal(mutualFolders(edges).length, 1);
      assert.match(mutualFolders(edges)[0]!, /^lib\/admin <-> lib\/flows/);
      assert.deepEqual(domainImportsOfAdmin(edges), ['lib/flows/a.ts:1 imports lib/admin/routes.ts']);
    });

    it('catch a comparison with a verifier name, and not the same word as data', () => {
      const names = new Set(['basic', 'secret_url']);
      const source = [
        "if (listener.verifier.name === 'basic') challenge();",
        "switch (type) { case 'secret_url': break; }",
        "const scheme = 'basic';",
      ].join('\n');
      assert.equal(verifierNameChecks('x.ts', source, names).length, 2);
    });
  });

  describe('the code', () => {
    const edges = importGraph(ROOT, ['lib', 'plugins', 'test', 'bench']);

    it('reads the imports it checks', () => {
      assert.ok(edges.some((edge) => edge.from === 'lib/app.ts' && edge.to === 'lib/admin/index.ts'));
      assert.ok(edges.some((edge) => edge.to === PLUGIN_ENTRY && edge.from.startsWith('lib/')));
      assert.deepEqual(edges.filter((edge) => edge.to === '').map((edge) => `${edge.from}: ${edge.specifier}`), []);
    });

    it('imports nothing of plugins/ outside plugins/ but the registry, plugins/verifiers/index.ts', () => {
      assert.deepEqual(pluginInternals(edges), []);
    });

    it('keeps the plugin contract in lib: plugins implement lib/verification/plugin.ts', () => {
      const contract = edges.filter((edge) => edge.from.startsWith('plugins/') && edge.to === 'lib/verification/plugin.ts');
      assert.ok(contract.some((edge) => edge.from === 'plugins/verifiers/basic.ts'));
    });

    it('has no two folders importing each other', () => {
      assert.deepEqual(mutualFolders(edges.filter((edge) => !edge.from.startsWith('test/') && !edge.from.startsWith('bench/'))), []);
    });

    it('has no domain folder importing the HTTP layer (lib/admin)', () => {
      assert.deepEqual(domainImportsOfAdmin(edges.filter((edge) => edge.from.startsWith('lib/'))), []);
    });

    it('writes every relative import one way: without an extension', () => {
      assert.deepEqual(edges.filter((edge) => /\.[cm]?js$/.test(edge.specifier)).map((edge) => `${edge.from}:${edge.line} ${edge.specifier}`), []);
    });

    it('names no verifier in lib/', () => {
      const names = new Set(verifierTypes());
      assert.ok(names.has('basic') && names.has('secret_url'));
      const found = typeScriptFiles(ROOT, 'lib').flatMap((file) => verifierNameChecks(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), names));
      assert.deepEqual(found, []);
    });
  });
});
