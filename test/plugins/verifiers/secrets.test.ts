import assert from 'node:assert/strict';
import { safeEqual } from '../../../lib/security/constant-time';
import { activeSecrets, firstActiveSecret, matchSecrets, normalizeSecrets } from '../../../lib/verification/secrets';

const NOW = Date.UTC(2026, 0, 15);

describe('secret lists', () => {
  it('normalises strings to { value } and keeps value and expiresAt of objects only', () => {
    const input = ['plain', { value: 'old', expiresAt: '2026-02-01T00:00:00Z' }, { value: 'x', extra: 1 } as never];
    assert.deepEqual(normalizeSecrets(input), [{ value: 'plain' }, { value: 'old', expiresAt: '2026-02-01T00:00:00Z' }, { value: 'x' }]);
  });

  it('treats a secret as active until its expiresAt instant, not after', () => {
    const secrets = [{ value: 'a' }, { value: 'b', expiresAt: new Date(NOW + 1).toISOString() }, { value: 'c', expiresAt: new Date(NOW).toISOString() }];
    assert.deepEqual(activeSecrets(secrets, NOW).map((secret) => secret.value), ['a', 'b']);
  });

  it('treats an unparseable expiresAt as expired (fails closed)', () => {
    assert.deepEqual(activeSecrets([{ value: 'a', expiresAt: 'soon' }], NOW), []);
  });

  it('signs with the first active secret and throws when none is left', () => {
    const secrets = [{ value: 'gone', expiresAt: '2025-01-01T00:00:00Z' }, { value: 'current' }];
    assert.equal(firstActiveSecret(secrets, NOW).value, 'current');
    assert.throws(() => firstActiveSecret([{ value: 'gone', expiresAt: '2025-01-01T00:00:00Z' }], NOW), /No active secret/);
  });

  it('tells an active match from a match on an expired secret only', () => {
    const secrets = [{ value: 'old', expiresAt: '2025-01-01T00:00:00Z' }, { value: 'new' }];
    assert.equal(matchSecrets(secrets, NOW, (secret) => safeEqual(secret.value, 'new')), 'active');
    assert.equal(matchSecrets(secrets, NOW, (secret) => safeEqual(secret.value, 'old')), 'expired');
    assert.equal(matchSecrets(secrets, NOW, () => false), 'none');
  });

  it('tries every secret even after one matched', () => {
    const tried: string[] = [];
    matchSecrets([{ value: 'a' }, { value: 'b' }, { value: 'c' }], NOW, (secret) => {
      tried.push(secret.value);
      return safeEqual(secret.value, 'a');
    });
    assert.deepEqual(tried, ['a', 'b', 'c']);
  });
});
