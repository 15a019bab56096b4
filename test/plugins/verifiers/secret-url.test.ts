import assert from 'node:assert/strict';
import { generateUrlSecret, secretUrlVerifier, type SecretUrlConfig } from '../../../plugins/verifiers/secret-url';
import { FIXED_NOW, makeContext } from './fixtures';

describe('secret_url verifier', () => {
  const config: SecretUrlConfig = {
    type: 'secret_url',
    secrets: [{ value: 'current0123456789abcdefghijklmno' }, { value: 'previous0123456789abcdefghijklmn', expiresAt: '2026-01-10T00:00:00Z' }],
  };

  it('accepts the configured secret as the last path segment', () => {
    assert.deepEqual(secretUrlVerifier.verify(makeContext({ pathSecret: 'current0123456789abcdefghijklmno' }), config), { ok: true });
  });

  it('refuses a wrong or missing secret segment', () => {
    assert.deepEqual(secretUrlVerifier.verify(makeContext({ pathSecret: 'current0123456789abcdefghijklmnX' }), config), { ok: false, reason: 'secret path segment does not match' });
    assert.deepEqual(secretUrlVerifier.verify(makeContext(), config), { ok: false, reason: 'missing secret path segment' });
  });

  it('accepts the previous secret before it expires and refuses it after', () => {
    const before = makeContext({ pathSecret: 'previous0123456789abcdefghijklmn', now: Date.UTC(2026, 0, 9) });
    assert.deepEqual(secretUrlVerifier.verify(before, config), { ok: true });
    const after = makeContext({ pathSecret: 'previous0123456789abcdefghijklmn', now: FIXED_NOW });
    assert.deepEqual(secretUrlVerifier.verify(after, config), { ok: false, reason: 'secret expired' });
  });

  it('signs by putting /secret in the path suffix, before any query', () => {
    const signed = secretUrlVerifier.sign({ method: 'POST', pathSuffix: '?a=1', headers: {}, body: Buffer.alloc(0) }, config, FIXED_NOW, 'https://x');
    assert.equal(signed.pathSuffix, '/current0123456789abcdefghijklmno?a=1');
  });

  it('generates one 32-character [a-z0-9] secret when none is given, and none otherwise', () => {
    const empty: SecretUrlConfig = { type: 'secret_url', secrets: [] };
    const generated = secretUrlVerifier.generateSecrets!(empty);
    assert.equal(generated.length, 1);
    assert.match(generated[0]!.value, /^[a-z0-9]{32}$/);
    assert.deepEqual(empty.secrets, generated);
    assert.deepEqual(secretUrlVerifier.generateSecrets!(config), []);
    assert.notEqual(generateUrlSecret(), generateUrlSecret());
  });

  it('refuses a configured secret that is not URL-safe', () => {
    assert.deepEqual(secretUrlVerifier.check!({ type: 'secret_url', secrets: [{ value: 'ok-secret' }, { value: 'has/slash' }] }).map((error) => error.path), ['/secrets/1']);
  });
});
