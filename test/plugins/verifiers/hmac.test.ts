import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { hmacVerifier, type HmacConfig } from '../../../plugins/verifiers/hmac';
import { parseSignedContent } from '../../../plugins/verifiers/signed-content';
import { FIXED_NOW, FIXED_SECONDS, makeContext } from './fixtures';

const GITHUB_DOC_SECRET = "It's a Secret to Everybody";
const GITHUB_DOC_BODY = 'Hello, World!';
const GITHUB_DOC_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

const githubLike: HmacConfig = {
  type: 'hmac',
  algorithm: 'sha256',
  encoding: 'hex',
  header: 'X-Hub-Signature-256',
  prefix: 'sha256=',
  keys: [{ value: GITHUB_DOC_SECRET }],
};

const timestamped: HmacConfig = {
  type: 'hmac',
  algorithm: 'sha512',
  encoding: 'base64',
  header: 'x-signature',
  keys: [{ value: 'k1' }],
  signedContent: '{timestamp}.{body}',
  timestampHeader: 'x-timestamp',
};

const mac = (algorithm: string, key: string, data: string | Buffer, encoding: 'hex' | 'base64' | 'base64url') =>
  createHmac(algorithm, key).update(data).digest(encoding);

function reasonOf(result: unknown): string {
  assert.equal((result as { ok: boolean }).ok, false);
  return (result as { reason: string }).reason;
}

describe('hmac verifier', () => {
  it("accepts GitHub's documented test vector", () => {
    const context = makeContext({ body: GITHUB_DOC_BODY, headers: { 'x-hub-signature-256': GITHUB_DOC_SIGNATURE } });
    assert.deepEqual(hmacVerifier.verify(context, githubLike), { ok: true });
  });

  it('refuses the vector with a changed body or another key', () => {
    const headers = { 'x-hub-signature-256': GITHUB_DOC_SIGNATURE };
    assert.match(reasonOf(hmacVerifier.verify(makeContext({ body: 'Hello, World?', headers }), githubLike)), /signature mismatch/);
    const otherKey = { ...githubLike, keys: [{ value: 'not the secret' }] };
    assert.match(reasonOf(hmacVerifier.verify(makeContext({ body: GITHUB_DOC_BODY, headers }), otherKey)), /signature mismatch/);
  });

  it('refuses a missing header, and a header without the configured prefix', () => {
    assert.equal(reasonOf(hmacVerifier.verify(makeContext({ body: GITHUB_DOC_BODY }), githubLike)), 'missing signature header x-hub-signature-256');
    const bare = GITHUB_DOC_SIGNATURE.slice('sha256='.length);
    assert.match(reasonOf(hmacVerifier.verify(makeContext({ body: GITHUB_DOC_BODY, headers: { 'x-hub-signature-256': bare } }), githubLike)), /no signature starting with "sha256="/);
  });

  it('accepts a header with several signatures when any one matches (comma or space separated)', () => {
    const wrong = `sha256=${'0'.repeat(64)}`;
    for (const value of [`${wrong},${GITHUB_DOC_SIGNATURE}`, `${wrong} ${GITHUB_DOC_SIGNATURE}`, `${GITHUB_DOC_SIGNATURE}, ${wrong}`]) {
      assert.deepEqual(hmacVerifier.verify(makeContext({ body: GITHUB_DOC_BODY, headers: { 'x-hub-signature-256': value } }), githubLike), { ok: true }, value);
    }
  });

  it('accepts upper-case hex and unpadded base64url', () => {
    const upper = `sha256=${GITHUB_DOC_SIGNATURE.slice(7).toUpperCase()}`;
    assert.deepEqual(hmacVerifier.verify(makeContext({ body: GITHUB_DOC_BODY, headers: { 'x-hub-signature-256': upper } }), githubLike), { ok: true });
    const config: HmacConfig = { type: 'hmac', algorithm: 'sha1', encoding: 'base64url', header: 'x-sig', keys: [{ value: 'k' }] };
    const signature = mac('sha1', 'k', 'payload', 'base64url').replace(/=+$/, '');
    assert.deepEqual(hmacVerifier.verify(makeContext({ body: 'payload', headers: { 'x-sig': signature } }), config), { ok: true });
  });

  it('signs the raw body bytes, never re-encoded (a body that is not valid UTF-8)', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]);
    const config: HmacConfig = { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'x-sig', keys: [{ value: 'k' }], signedContent: 'pre:{body}' };
    const signature = createHmac('sha256', 'k').update(Buffer.concat([Buffer.from('pre:'), body])).digest('hex');
    assert.deepEqual(hmacVerifier.verify(makeContext({ body, headers: { 'x-sig': signature } }), config), { ok: true });
  });

  describe('with a timestamp', () => {
    const signedAt = (seconds: number, body = '{"a":1}') => ({
      'x-timestamp': String(seconds),
      'x-signature': mac('sha512', 'k1', `${seconds}.${body}`, 'base64'),
    });

    it('accepts a request signed within the tolerance', () => {
      assert.deepEqual(hmacVerifier.verify(makeContext({ body: '{"a":1}', headers: signedAt(FIXED_SECONDS - 299) }), timestamped), { ok: true });
    });

    it('rejects a timestamp older than the tolerance', () => {
      const reason = reasonOf(hmacVerifier.verify(makeContext({ body: '{"a":1}', headers: signedAt(FIXED_SECONDS - 301) }), timestamped));
      assert.equal(reason, 'timestamp is 301 s old, outside the 300 s tolerance');
    });

    it('rejects a timestamp further in the future than the tolerance', () => {
      const reason = reasonOf(hmacVerifier.verify(makeContext({ body: '{"a":1}', headers: signedAt(FIXED_SECONDS + 400) }), timestamped));
      assert.equal(reason, 'timestamp is 400 s in the future, outside the 300 s tolerance');
    });

    it('honours a configured toleranceSeconds', () => {
      const config = { ...timestamped, toleranceSeconds: 60 };
      assert.match(reasonOf(hmacVerifier.verify(makeContext({ body: '{"a":1}', headers: signedAt(FIXED_SECONDS - 61) }), config)), /61 s old, outside the 60 s/);
    });

    it('rejects a missing or non-numeric timestamp with the header name', () => {
      const headers = signedAt(FIXED_SECONDS);
      assert.equal(reasonOf(hmacVerifier.verify(makeContext({ body: '{"a":1}', headers: { 'x-signature': headers['x-signature'] } }), timestamped)), 'missing timestamp (header x-timestamp)');
      const nonNumeric = { ...headers, 'x-timestamp': '2026-01-15T12:00:00Z' };
      assert.match(reasonOf(hmacVerifier.verify(makeContext({ body: '{"a":1}', headers: nonNumeric }), timestamped)), /x-timestamp\) is not a whole number/);
    });

    it('reads a 13-digit timestamp as milliseconds and signs with the value as sent', () => {
      const millis = String(FIXED_NOW - 1000);
      const headers = { 'x-timestamp': millis, 'x-signature': mac('sha512', 'k1', `${millis}.{"a":1}`, 'base64') };
      assert.deepEqual(hmacVerifier.verify(makeContext({ body: '{"a":1}', headers }), timestamped), { ok: true });
    });

    it('round-trips sign and verify', () => {
      const signed = hmacVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from('{"b":2}') }, timestamped, FIXED_NOW, 'https://x');
      assert.equal(signed.headers['x-timestamp'], String(FIXED_SECONDS));
      assert.deepEqual(hmacVerifier.verify(makeContext({ body: signed.body, headers: signed.headers }), timestamped), { ok: true });
    });
  });

  it('signs {url}, {headers.NAME} and {query.NAME} from the request', () => {
    const config: HmacConfig = {
      type: 'hmac',
      algorithm: 'sha256',
      encoding: 'hex',
      header: 'x-sig',
      keys: [{ value: 'k' }],
      signedContent: '{url}|{headers.X-Request-Id}|{query.account}|{body}',
    };
    const url = 'https://hooks.example.com/hooks/abc?account=acme';
    const signature = mac('sha256', 'k', `${url}|r-1|acme|body`, 'hex');
    const context = makeContext({ url, body: 'body', headers: { 'x-request-id': 'r-1', 'x-sig': signature } });
    assert.deepEqual(hmacVerifier.verify(context, config), { ok: true });
    const withoutHeader = makeContext({ url, body: 'body', headers: { 'x-sig': signature } });
    assert.equal(reasonOf(hmacVerifier.verify(withoutHeader, config)), 'signedContent uses header x-request-id, which is missing');
    const signed = hmacVerifier.sign({ method: 'POST', pathSuffix: '?account=acme', headers: { 'X-Request-Id': 'r-1' }, body: Buffer.from('body') }, config, FIXED_NOW, 'https://hooks.example.com/hooks/abc');
    assert.equal(signed.headers['x-sig'], signature);
  });

  describe('key rotation', () => {
    const rotating: HmacConfig = { ...githubLike, keys: [{ value: 'new key' }, { value: GITHUB_DOC_SECRET, expiresAt: '2026-02-01T00:00:00Z' }] };
    const headers = { 'x-hub-signature-256': GITHUB_DOC_SIGNATURE };

    it('accepts the old key until it expires', () => {
      assert.deepEqual(hmacVerifier.verify(makeContext({ body: GITHUB_DOC_BODY, headers, now: Date.UTC(2026, 0, 31, 23, 59) }), rotating), { ok: true });
    });

    it('refuses the old key after its expiresAt with "secret expired"', () => {
      assert.equal(reasonOf(hmacVerifier.verify(makeContext({ body: GITHUB_DOC_BODY, headers, now: Date.UTC(2026, 1, 1) }), rotating)), 'secret expired');
    });

    it('signs with the first active key', () => {
      const signed = hmacVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from('x') }, rotating, FIXED_NOW, 'https://x');
      assert.equal(signed.headers['x-hub-signature-256'], `sha256=${mac('sha256', 'new key', 'x', 'hex')}`);
    });
  });

  describe('check', () => {
    it('reports an unknown placeholder at /signedContent', () => {
      const errors = hmacVerifier.check!({ ...githubLike, signedContent: '{timestamp}.{payload}', timestampHeader: 'x-ts' });
      assert.deepEqual(errors.map((error) => error.path), ['/signedContent']);
      assert.match(errors[0]!.message, /unknown placeholder \{payload\}/);
    });

    it('requires timestampHeader when {timestamp} is used, and refuses a tolerance without it', () => {
      assert.deepEqual(hmacVerifier.check!({ ...githubLike, signedContent: 'v0:{timestamp}:{body}' }), [{ path: '/signedContent', message: 'uses {timestamp}, which needs timestampHeader' }]);
      assert.deepEqual(hmacVerifier.check!({ ...githubLike, toleranceSeconds: 60 }).map((error) => error.path), ['/toleranceSeconds']);
    });

    it('accepts the templates the providers use', () => {
      for (const signedContent of ['v0:{timestamp}:{body}', '{timestamp}.{body}']) {
        assert.deepEqual(hmacVerifier.check!({ ...githubLike, signedContent, timestampHeader: 'x-ts' }), [], signedContent);
      }
      assert.deepEqual(hmacVerifier.check!({ ...githubLike, signedContent: '{url}{body}' }), []);
    });

    it('refuses a timestampHeader whose timestamp is not signed, since an old signature would replay under a fresh timestamp', () => {
      for (const signedContent of [undefined, '{body}', '{url}{body}', '{headers.x-ts}.{body}']) {
        const errors = hmacVerifier.check!({ ...githubLike, ...(signedContent === undefined ? {} : { signedContent }), timestampHeader: 'x-ts' });
        assert.deepEqual(errors.map((error) => error.path), ['/signedContent'], String(signedContent));
        assert.match(errors[0]!.message, /\{timestamp\}/);
      }
    });

    it('masks the signature header', () => {
      assert.deepEqual(hmacVerifier.sensitiveHeaders(githubLike), ['x-hub-signature-256']);
    });
  });
});

describe('signedContent template', () => {
  it('splits literals and placeholders exactly', () => {
    const parsed = parseSignedContent('v0:{timestamp}:{body}');
    assert.deepEqual(parsed, { ok: true, segments: [{ kind: 'literal', text: 'v0:' }, { kind: 'timestamp' }, { kind: 'literal', text: ':' }, { kind: 'body' }] });
  });

  it('refuses an unclosed brace and an empty placeholder', () => {
    assert.equal(parseSignedContent('{body').ok, false);
    assert.equal(parseSignedContent('{}{body}').ok, false);
    assert.equal(parseSignedContent('{headers.}').ok, false);
  });
});
