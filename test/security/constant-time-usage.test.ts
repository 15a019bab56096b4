/**
 * A code search standing in for a timing test (issue 4): every comparison of
 * secrets goes through the one constant-time helper, lib/security/constant-time.ts.
 *
 * 1. `timingSafeEqual` appears in no other file under lib/ or plugins/.
 * 2. In the code that handles credentials (plugins/verifiers, lib/security,
 *    lib/ingest) no `===`, `!==`, `==` or `!=` compares two values when either is
 *    named like a secret (secret, signature, token, password, digest, hmac, key,
 *    credential…). A comparison with a literal (`key === 't'`, `x === undefined`),
 *    a `typeof` check or a length check is not a comparison of secret values and
 *    is allowed: what leaks is the literal, the type or the length.
 * 3. In the same code no membership test (`includes`, `indexOf`, `lastIndexOf`,
 *    `has`) looks for a secret-named value in a secret-named collection.
 *
 * The rules themselves are tested first, so the search cannot pass by finding nothing.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findComparisons, findMethodCalls, identifiersIn, repositoryRoot, typeScriptFiles, type Comparison } from '../helpers/source-scan';

const ROOT = repositoryRoot(__dirname);
const HELPER = 'lib/security/constant-time.ts';
const CREDENTIAL_CODE = ['plugins/verifiers/', 'lib/security/', 'lib/ingest/'];

/** Words (from camelCase or snake_case identifiers) that name a secret or something derived from one. */
const SECRET_WORDS = new Set([
  'secret', 'secrets', 'signature', 'signatures', 'sig', 'token', 'tokens', 'password', 'passwords', 'passwd', 'digest', 'digests',
  'hmac', 'mac', 'key', 'keys', 'credential', 'credentials', 'apikey', 'passphrase', 'whsec',
]);

function words(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

function namesSecret(operand: string): boolean {
  return (operand.match(/[A-Za-z_$][\w$]*/g) ?? []).some((identifier) => words(identifier).some((word) => SECRET_WORDS.has(word)));
}

/** A literal, a type check or a length: comparing with it reveals nothing about a secret's bytes. */
function isHarmless(operand: string): boolean {
  return (
    /^(?:""|\/re\/|-?\d[\w.]*|true|false|null|undefined|NaN)$/.test(operand) ||
    operand.startsWith('typeof ') ||
    /\.(?:length|size|byteLength)$/.test(operand)
  );
}

export function comparesSecrets(comparison: Comparison): boolean {
  if (isHarmless(comparison.left) || isHarmless(comparison.right)) return false;
  return namesSecret(comparison.left) || namesSecret(comparison.right);
}

const MEMBERSHIP_METHODS = new Set(['includes', 'indexOf', 'lastIndexOf', 'has']);

/** `secrets.includes(token)` and the like: a lookup that stops at the first differing byte. */
export function secretMembershipTests(source: string): Array<{ line: number; text: string }> {
  return findMethodCalls(source, MEMBERSHIP_METHODS)
    .filter((call) => namesSecret(call.receiver) && namesSecret(call.argument))
    .map((call) => ({ line: call.line, text: call.text }));
}

function scan(source: string): Comparison[] {
  return findComparisons(source).filter(comparesSecrets);
}

describe('constant-time comparison of secrets (code search)', () => {
  describe('the rules', () => {
    it('flag comparisons of secret-named values', () => {
      const flagged = [
        'if (signature === expected) return ok;',
        'return given !== secret.value;',
        'const same = a == config.keys[0]!.value;',
        'if (computeSignature(config, key, content) != received) {}',
        'const ok = headers["x-token"] === presentedToken;',
        'return `${expectedDigest === actual ? "yes" : "no"}`;',
        'if (parsed.password?.trim() === stored) {}',
      ];
      for (const line of flagged) assert.equal(scan(line).length, 1, line);
    });

    it('leave alone literals, type checks, length checks and names that are not secrets', () => {
      const allowed = [
        "if (typeof token === 'string') return token;",
        'if (signatures.length === 0) return fail();',
        'if (secret.expiresAt === undefined) return true;',
        "if (key === 't' && timestamp === undefined) timestamp = item;",
        "const type = contentType === '' ? json : contentType;",
        'if (left.length !== right.length) return false;',
        'if (match === "active") return { ok: true };',
        'if (keyword === other.keyword) {}',
        "// if (signature === expected) in a comment\nconst x = 1;",
        "const message = 'signature === expected';",
        'const re = /signature === expected/;',
      ];
      for (const line of allowed) assert.deepEqual(scan(line), [], line);
    });

    it('flag a membership test of a secret in secrets, and not a public prefix check', () => {
      assert.equal(secretMembershipTests('return tokens.includes(presentedToken);').length, 1);
      assert.equal(secretMembershipTests('const known = secretSet.has(token);').length, 1);
      assert.equal(secretMembershipTests('tokens.filter((token) => token.startsWith(prefix));').length, 0);
      assert.equal(secretMembershipTests('if (sensitiveHeaders.has(name)) {}').length, 0);
    });
  });

  describe('the code', () => {
    const files = [...typeScriptFiles(ROOT, 'lib'), ...typeScriptFiles(ROOT, 'plugins')];
    const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

    it('finds the source files it searches', () => {
      assert.ok(files.includes(HELPER), `${HELPER} not found under ${ROOT}`);
      assert.ok(files.filter((file) => file.startsWith('plugins/verifiers/presets/')).length >= 9);
    });

    it('calls timingSafeEqual only in lib/security/constant-time.ts', () => {
      const users = files.filter((file) => identifiersIn(read(file)).has('timingSafeEqual'));
      assert.deepEqual(users, [HELPER]);
    });

    it('compares no secret-named value with ===, !==, == or != in verifiers, security and ingest code', () => {
      const offending: string[] = [];
      for (const file of files.filter((name) => CREDENTIAL_CODE.some((dir) => name.startsWith(dir)))) {
        const source = read(file);
        const lines = source.split('\n');
        for (const comparison of scan(source)) {
          offending.push(`${file}:${comparison.line}: ${comparison.left} ${comparison.operator} ${comparison.right}    | ${lines[comparison.line - 1]!.trim()}`);
        }
      }
      assert.deepEqual(offending, [], `use safeEqual from ${HELPER}:\n${offending.join('\n')}`);
    });

    it('looks up no secret-named value in a secret-named collection in verifiers, security and ingest code', () => {
      const offending: string[] = [];
      for (const file of files.filter((name) => CREDENTIAL_CODE.some((dir) => name.startsWith(dir)))) {
        const lines = read(file).split('\n');
        for (const hit of secretMembershipTests(read(file))) {
          offending.push(`${file}:${hit.line}: ${hit.text}    | ${lines[hit.line - 1]!.trim()}`);
        }
      }
      assert.deepEqual(offending, [], `use safeEqualAny from ${HELPER}:\n${offending.join('\n')}`);
    });
  });
});
