import assert from 'node:assert/strict';
import { BASIC_CHALLENGE, BASIC_REALM, basicVerifier, parseBasicAuthorization, type BasicConfig } from '../../../plugins/verifiers/basic';
import { noneVerifier } from '../../../plugins/verifiers/none';
import { basicAuthorization, FIXED_NOW, makeContext } from './fixtures';

const config: BasicConfig = {
  type: 'basic',
  username: 'partner',
  passwords: [{ value: 'new:pass:word' }, { value: 'old-password', expiresAt: '2026-01-10T00:00:00Z' }],
};

describe('none verifier', () => {
  it('accepts a request without any credentials', async () => {
    assert.deepEqual(await noneVerifier.verify(makeContext(), { type: 'none' }), { ok: true });
  });
});

describe('basic verifier', () => {
  it('accepts the right username and a password containing colons (RFC 7617)', () => {
    const result = basicVerifier.verify(makeContext({ headers: basicAuthorization('partner', 'new:pass:word') }), config);
    assert.deepEqual(result, { ok: true });
  });

  it('accepts a lower-case scheme name', () => {
    const token = Buffer.from('partner:new:pass:word').toString('base64');
    assert.deepEqual(basicVerifier.verify(makeContext({ headers: { authorization: `basic ${token}` } }), config), { ok: true });
  });

  it('refuses a wrong password', () => {
    assert.deepEqual(basicVerifier.verify(makeContext({ headers: basicAuthorization('partner', 'guess') }), config), { ok: false, reason: 'password mismatch' });
  });

  it('refuses a wrong username even with a right password', () => {
    assert.deepEqual(basicVerifier.verify(makeContext({ headers: basicAuthorization('other', 'new:pass:word') }), config), { ok: false, reason: 'unknown username' });
  });

  it('refuses a missing header, another scheme and credentials without a colon', () => {
    assert.deepEqual(basicVerifier.verify(makeContext(), config), { ok: false, reason: 'missing Authorization header' });
    assert.match((basicVerifier.verify(makeContext({ headers: { authorization: 'Bearer abc' } }), config) as { reason: string }).reason, /not Basic/);
    const noColon = Buffer.from('partner').toString('base64');
    assert.match((basicVerifier.verify(makeContext({ headers: { authorization: `Basic ${noColon}` } }), config) as { reason: string }).reason, /no colon/);
  });

  it('says "secret expired" when only an expired password matches', () => {
    const result = basicVerifier.verify(makeContext({ headers: basicAuthorization('partner', 'old-password') }), config);
    assert.deepEqual(result, { ok: false, reason: 'secret expired' });
  });

  it('still accepts the old password during rotation, before it expires', () => {
    const before = makeContext({ headers: basicAuthorization('partner', 'old-password'), now: Date.UTC(2026, 0, 9) });
    assert.deepEqual(basicVerifier.verify(before, config), { ok: true });
  });

  it('signs with the first active password so that verify accepts the request', () => {
    const signed = basicVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from('{}') }, config, FIXED_NOW, 'https://x');
    assert.deepEqual(parseBasicAuthorization(signed.headers.authorization), { ok: true, username: 'partner', password: 'new:pass:word' });
    assert.deepEqual(basicVerifier.verify(makeContext({ headers: signed.headers }), config), { ok: true });
  });

  it('masks the authorization header and exports the challenge for WWW-Authenticate', () => {
    assert.deepEqual(basicVerifier.sensitiveHeaders(config), ['authorization']);
    assert.equal(BASIC_REALM, 'hookport');
    assert.equal(BASIC_CHALLENGE, 'Basic realm="hookport"');
  });
});
