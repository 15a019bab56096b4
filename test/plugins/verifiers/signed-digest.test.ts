/**
 * The hmac extensions of issue #15, one rule per test: key=value signature
 * items, timestamps in milliseconds, RFC 3339 or a body field, secret
 * encodings, further signature headers, {method} and {form}, and the
 * save-time checks that keep a timestamp signed.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { hashVerifier, type HashConfig } from '../../../plugins/verifiers/hash';
import { hmacVerifier, type HmacConfig } from '../../../plugins/verifiers/hmac';
import { parseItems } from '../../../plugins/verifiers/signed-digest';
import { readTimestamp } from '../../../plugins/verifiers/timestamp';
import { FIXED_NOW, FIXED_SECONDS, makeContext } from './fixtures';

const mac = (key: string | Buffer, data: string, encoding: 'hex' | 'base64' = 'hex') => createHmac('sha256', key).update(data).digest(encoding);
const base: HmacConfig = { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'x-sig', keys: [{ value: 'k1' }] };
const reason = (result: unknown) => (result as { reason?: string }).reason;
const okOf = (result: unknown) => (result as { ok: boolean }).ok;

describe('hmac signature items (t=…,v1=… and friends)', () => {
  const stripeLike: HmacConfig = { ...base, signatureItems: { separator: ',', assign: '=', signatureKey: 'v1', timestampKey: 't' }, signedContent: '{timestamp}.{body}' };

  it('splits items at their first assign character, trimming spaces and keeping every value of a key', () => {
    const items = parseItems('t=1, v1=abc=,v1=def ,v0=x,junk,=empty', { separator: ',', assign: '=', signatureKey: 'v1' });
    assert.deepEqual(Object.fromEntries(items), { t: ['1'], v1: ['abc=', 'def'], v0: ['x'] });
    assert.deepEqual(Object.fromEntries(parseItems('v1,aGk= v1a,eA== v1,b2s=', { separator: ' ', assign: ',', signatureKey: 'v1' })), { v1: ['aGk=', 'b2s='], v1a: ['eA=='] });
  });

  it('accepts any matching v1 item and reads the signed timestamp from the t item', () => {
    const body = '{"a":1}';
    const header = `t=${FIXED_SECONDS},v1=${'0'.repeat(64)},v1=${mac('k1', `${FIXED_SECONDS}.${body}`)}`;
    assert.deepEqual(hmacVerifier.verify(makeContext({ body, headers: { 'x-sig': header } }), stripeLike), { ok: true });
  });

  it('refuses a header without the signature key, and a stale t item with the reason', () => {
    assert.equal(reason(hmacVerifier.verify(makeContext({ body: 'x', headers: { 'x-sig': `t=${FIXED_SECONDS},v0=abc` } }), stripeLike)), 'signature header x-sig has no v1 item');
    const old = FIXED_SECONDS - 400;
    const header = `t=${old},v1=${mac('k1', `${old}.x`)}`;
    assert.equal(reason(hmacVerifier.verify(makeContext({ body: 'x', headers: { 'x-sig': header } }), stripeLike)), 'timestamp is 400 s old, outside the 300 s tolerance');
  });

  it('signs as it verifies (Paddle-style ts=…;h1=…)', () => {
    const paddleLike: HmacConfig = { ...base, signatureItems: { separator: ';', assign: '=', signatureKey: 'h1', timestampKey: 'ts' }, signedContent: '{timestamp}:{body}' };
    const signed = hmacVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from('b') }, paddleLike, FIXED_NOW, 'https://h.example/hooks/x');
    assert.equal(signed.headers['x-sig'], `ts=${FIXED_SECONDS};h1=${mac('k1', `${FIXED_SECONDS}:b`)}`);
    assert.deepEqual(hmacVerifier.verify(makeContext({ body: 'b', headers: signed.headers }), paddleLike), { ok: true });
  });
});

describe('hmac timestamps in other formats', () => {
  it('reads milliseconds and RFC 3339 (with nanoseconds or an offset), and says what it could not read', () => {
    assert.deepEqual(readTimestamp('1768478400123', 'h', false, 'unix-ms'), { ok: true, seconds: 1768478400 });
    assert.deepEqual(readTimestamp('2026-01-15T12:00:00.123456789Z', 'h', false, 'rfc3339'), { ok: true, seconds: FIXED_SECONDS });
    assert.deepEqual(readTimestamp('2026-01-15T04:00:00-08:00', 'h', false, 'rfc3339'), { ok: true, seconds: FIXED_SECONDS });
    assert.match(reason(readTimestamp('2026-01-15 12:00', 'header x-ts', false, 'rfc3339'))!, /header x-ts\) is not an RFC 3339 date-time/);
    assert.match(reason(readTimestamp('12.5', 'header x-ts', false, 'unix-ms'))!, /not a whole number of milliseconds/);
  });

  it('checks an RFC 3339 timestamp header against the tolerance', () => {
    const config: HmacConfig = { ...base, encoding: 'base64', signedContent: '{timestamp}{body}', timestampHeader: 'x-ts', timestampFormat: 'rfc3339', toleranceSeconds: 600 };
    const at = (iso: string) => ({ 'x-ts': iso, 'x-sig': mac('k1', `${iso}{}`, 'base64') });
    assert.deepEqual(hmacVerifier.verify(makeContext({ body: '{}', headers: at('2026-01-15T11:55:00Z') }), config), { ok: true });
    assert.equal(reason(hmacVerifier.verify(makeContext({ body: '{}', headers: at('2026-01-15T11:49:00Z') }), config)), 'timestamp is 660 s old, outside the 600 s tolerance');
  });

  it('reads a timestamp from a body field (Linear), which the body signature covers', async () => {
    const config: HmacConfig = { ...base, timestampBodyPath: 'webhookTimestamp', timestampFormat: 'unix-ms', toleranceSeconds: 60 };
    const body = (ms: number) => JSON.stringify({ action: 'create', webhookTimestamp: ms });
    const fresh = body(FIXED_NOW - 30_000);
    assert.deepEqual(await hmacVerifier.verify(makeContext({ body: fresh, headers: { 'x-sig': mac('k1', fresh) } }), config), { ok: true });
    const stale = body(FIXED_NOW - 90_000);
    assert.equal(reason(await hmacVerifier.verify(makeContext({ body: stale, headers: { 'x-sig': mac('k1', stale) } }), config)), 'timestamp is 90 s old, outside the 60 s tolerance');
    const none = '{"action":"create"}';
    assert.equal(reason(await hmacVerifier.verify(makeContext({ body: none, headers: { 'x-sig': mac('k1', none) } }), config)), 'missing timestamp (body webhookTimestamp)');
    assert.equal(reason(await hmacVerifier.verify(makeContext({ body: 'not json', headers: { 'x-sig': mac('k1', 'not json') } }), config)), 'the body does not parse, so it has no timestamp at webhookTimestamp');
  });
});

describe('hmac secret encodings, headers and placeholders', () => {
  it('uses the base64-decoded secret (dropping whsec_) or the hex-decoded one as the key', () => {
    const key = Buffer.from('raw key bytes \u00ff');
    for (const [secretEncoding, value] of [['base64', key.toString('base64')], ['base64', `whsec_${key.toString('base64')}`], ['hex', key.toString('hex')]] as const) {
      const config: HmacConfig = { ...base, secretEncoding, keys: [{ value }] };
      assert.deepEqual(hmacVerifier.verify(makeContext({ body: 'b', headers: { 'x-sig': mac(key, 'b') } }), config), { ok: true }, value);
      assert.equal(okOf(hmacVerifier.verify(makeContext({ body: 'b', headers: { 'x-sig': mac(value, 'b') } }), config)), false, 'the text itself is not the key');
    }
  });

  it('refuses, at save time, a secret that is not in its declared encoding', () => {
    assert.deepEqual(hmacVerifier.check!({ ...base, secretEncoding: 'hex', keys: [{ value: 'abc' }] }).map((error) => error.path), ['/keys/0']);
    assert.deepEqual(hmacVerifier.check!({ ...base, secretEncoding: 'base64', keys: [{ value: 'ok' }, { value: 'not base64!' }] }).map((error) => error.path), ['/keys/0', '/keys/1']);
  });

  it('accepts a signature from any of the additional headers, under any key (DocuSign, Box)', () => {
    const config: HmacConfig = { ...base, additionalHeaders: ['x-sig-2'], keys: [{ value: 'k1' }, { value: 'k2' }] };
    assert.deepEqual(hmacVerifier.verify(makeContext({ body: 'b', headers: { 'x-sig': 'ff', 'x-sig-2': mac('k2', 'b') } }), config), { ok: true });
    assert.deepEqual(hmacVerifier.verify(makeContext({ body: 'b', headers: { 'x-sig-2': mac('k1', 'b') } }), config), { ok: true });
    assert.equal(reason(hmacVerifier.verify(makeContext({ body: 'b' }), config)), 'missing signature header x-sig');
    assert.deepEqual(hmacVerifier.sensitiveHeaders(config), ['x-sig', 'x-sig-2']);
  });

  it('signs {method}{url} and sorted {form} parameters (HubSpot v3, Mandrill)', () => {
    const url = 'https://hooks.example.com/hooks/x?a=1';
    const config: HmacConfig = { ...base, signedContent: '{method}{url}{form}' };
    const body = 'b=2&a=z&a=y';
    const expected = mac('k1', `POST${url}aya` + 'z' + 'b2');
    assert.deepEqual(hmacVerifier.verify(makeContext({ url, body, headers: { 'x-sig': expected } }), config), { ok: true });
    assert.equal(okOf(hmacVerifier.verify(makeContext({ url, method: 'PUT', body, headers: { 'x-sig': expected } }), config)), false);
  });

  it('takes an authorization scheme as a prefix ending in one space (Teams: "HMAC <base64>")', () => {
    const config: HmacConfig = { ...base, header: 'authorization', prefix: 'HMAC ', encoding: 'base64' };
    assert.deepEqual(hmacVerifier.verify(makeContext({ body: 'b', headers: { authorization: `HMAC ${mac('k1', 'b', 'base64')}` } }), config), { ok: true });
    assert.equal(okOf(hmacVerifier.verify(makeContext({ body: 'b', headers: { authorization: `Bearer ${mac('k1', 'b', 'base64')}` } }), config)), false);
    assert.deepEqual(hmacVerifier.check!(config), []);
    assert.deepEqual(hmacVerifier.check!({ ...config, prefix: 'HM AC' }).map((error) => error.path), ['/prefix']);
  });
});

describe('hmac save-time checks for the new options', () => {
  it('gives the timestamp one source, keeps a header or item timestamp signed, and refuses a prefix with items', () => {
    const paths = (config: Partial<HmacConfig>) => hmacVerifier.check!({ ...base, ...config }).map((error) => error.path);
    assert.deepEqual(paths({ signedContent: '{timestamp}.{body}', timestampHeader: 'x-ts', timestampBodyPath: 'ts' }), ['/timestampBodyPath']);
    assert.deepEqual(paths({ signatureItems: { separator: ',', assign: '=', signatureKey: 'v1', timestampKey: 't' } }), ['/signedContent']);
    assert.deepEqual(paths({ timestampBodyPath: 'meta.sentAt' }), []);
    assert.deepEqual(paths({ timestampBodyPath: '$..sentAt' }), ['/timestampBodyPath']);
    assert.deepEqual(paths({ timestampFormat: 'unix-ms' }), ['/timestampFormat']);
    assert.deepEqual(paths({ prefix: 'v1=', signatureItems: { separator: ',', assign: '=', signatureKey: 'v1' } }), ['/prefix']);
    assert.deepEqual(paths({ signatureItems: { separator: ',', assign: ',', signatureKey: 'v1' } }), ['/signatureItems/assign']);
    assert.deepEqual(paths({ signedContent: '{secret}{body}' }), ['/signedContent']);
  });
});

describe('hash verifier (a plain digest over text that includes the secret)', () => {
  const hubspotV1: HashConfig = { type: 'hash', algorithm: 'sha256', encoding: 'hex', header: 'x-hubspot-signature', secrets: [{ value: 'client-secret' }], signedContent: '{secret}{body}' };

  it('accepts HubSpot v1 (sha256 of secret + body) and refuses another secret', () => {
    const body = '[{"eventId":1}]';
    const signature = createHash('sha256').update(`client-secret${body}`).digest('hex');
    assert.deepEqual(hashVerifier.verify(makeContext({ body, headers: { 'x-hubspot-signature': signature } }), hubspotV1), { ok: true });
    assert.equal(okOf(hashVerifier.verify(makeContext({ body, headers: { 'x-hubspot-signature': signature } }), { ...hubspotV1, secrets: [{ value: 'other' }] })), false);
  });

  it('must place {secret} in the signed content', () => {
    assert.deepEqual(hashVerifier.check!({ ...hubspotV1, signedContent: '{body}' }), [{ path: '/signedContent', message: 'must contain {secret}: the hash covers the secret' }]);
  });
});
