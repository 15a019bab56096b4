/**
 * Two shapes of issue 9 that a reader relies on, checked in the source with the
 * TypeScript compiler:
 *
 * - One mask: the string `****` is written once, as `MASK` in
 *   lib/security/redact.ts; everything else that masks imports it.
 * - The request path reads like SPEC §3: `handle()` in
 *   lib/ingest/ingest-handler.ts fits on one screen and calls the stages in the
 *   order of the spec's table.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repositoryRoot, typeScriptFiles } from '../helpers/source-scan';

const ROOT = repositoryRoot(__dirname);
const REDACT = 'lib/security/redact.ts';
const HANDLER = 'lib/ingest/ingest-handler.ts';

function parse(file: string, source = fs.readFileSync(path.join(ROOT, file), 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
}

/** Where a string or template literal spells the mask, or a `MASK` is declared. */
function maskDefinitions(file: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const spellsMask = (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && node.text.startsWith('****');
    const declaresMask = ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === 'MASK';
    if (spellsMask || declaresMask) found.push(`${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The called names in `handle()`, in source order, and its length in lines. */
function handleShape(file: ts.SourceFile): { lines: number; calls: string[] } {
  let handle: ts.FunctionDeclaration | undefined;
  file.forEachChild((node) => {
    if (ts.isFunctionDeclaration(node) && node.name?.text === 'handle') handle = node;
  });
  assert.ok(handle, `no function handle() in ${file.fileName}`);
  const calls: string[] = [];
  const visit = (node: ts.Node): void => {
    ts.forEachChild(node, visit);
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) calls.push(node.expression.text);
  };
  ts.forEachChild(handle, visit);
  const start = file.getLineAndCharacterOfPosition(handle.getStart()).line;
  const end = file.getLineAndCharacterOfPosition(handle.getEnd()).line;
  return { lines: end - start + 1, calls };
}

/** SPEC §3's table, as the stage functions that do each step. */
const SPEC_ORDER = [
  'findListener', 'checkAccepts', // find listener: 404, 410, 405
  'applyLimits', // limiter
  'readRequest', // size
  'checkAllowIps', 'answerHandshake', // handshake rules (after the allow-list)
  'verifyRequest', // verification
  'parse', // parse
  'validate', // validation
  'findDuplicate', // dedup
  'passesFilter', // filter
  'routeStage', // shared listeners (routing by uid, after the filter)
  'prepareJob', // records
  'acceptJob', // accept
  'respondAccepted', // respond
];

describe('architecture: one mask, and a request path that reads like SPEC §3', () => {
  it('finds a spelled-out mask and a MASK declaration (the rule works)', () => {
    const sample = parse('x.ts', "const MASK = '****';\nconst shown = `****${last4}`;\nconst other = 'x';");
    assert.equal(maskDefinitions(sample).length, 3);
  });

  it('writes the mask once, in lib/security/redact.ts', () => {
    const files = [...typeScriptFiles(ROOT, 'lib'), ...typeScriptFiles(ROOT, 'plugins')];
    const found = new Set(files.flatMap((file) => maskDefinitions(parse(file))));
    assert.equal(found.size, 1, [...found].join(', '));
    assert.ok([...found][0]!.startsWith(`${REDACT}:`), [...found].join(', '));
  });

  it('keeps handle() on one screen, calling the stages in the order of the spec', () => {
    const { lines, calls } = handleShape(parse(HANDLER));
    assert.ok(lines <= 40, `handle() is ${lines} lines`);
    const stages = calls.filter((name) => SPEC_ORDER.includes(name));
    assert.deepEqual(stages, SPEC_ORDER);
  });
});
