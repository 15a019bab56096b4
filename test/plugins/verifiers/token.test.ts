import assert from 'node:assert/strict';
import { parseBodyPath } from '../../../plugins/verifiers/body-path';
import { tokenVerifier, type TokenConfig } from '../../../plugins/verifiers/token';
import { FIXED_NOW, makeContext } from './fixtures';

const tokens = [{ value: 'tok-new' }, { value: 'tok-old', expiresAt: '2026-01-10T00:00:00Z' }];
const inBody = (path: string): TokenConfig => ({ type: 'token', tokens, location: { in: 'body', path } });
const json = { 'content-type': 'application/json' };

describe('token verifier', () => {
  describe('in the body', () => {
    it('reads a dotted path (Celigo style) from a JSON body', async () => {
      const context = makeContext({ body: '{"myAuth":{"token":"tok-new"},"order":1}', headers: json });
      assert.deepEqual(await tokenVerifier.verify(context, inBody('myAuth.token')), { ok: true });
    });

    it('reads the same place through a JSONPath, including bracket keys with dots', async () => {
      const context = makeContext({ body: '{"myAuth":{"token":"tok-new"},"a.b":{"t":"tok-new"}}', headers: json });
      assert.deepEqual(await tokenVerifier.verify(context, inBody('$.myAuth.token')), { ok: true });
      assert.deepEqual(await tokenVerifier.verify(context, inBody("$['a.b'].t")), { ok: true });
    });

    it('reads a form body (nested with brackets) and an XML body parsed to an object', async () => {
      const form = makeContext({ body: 'myAuth[token]=tok-new&x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.deepEqual(await tokenVerifier.verify(form, inBody('myAuth.token')), { ok: true });
      const xml = makeContext({ body: '<r/>', headers: { 'content-type': 'application/xml' }, parsedBody: () => ({ root: { auth: { token: { '#text': 'tok-new', '@_kind': 'x' } } } }) });
      assert.deepEqual(await tokenVerifier.verify(xml, inBody('root.auth.token')), { ok: true });
    });

    it('treats a body that does not parse as a missing token instead of throwing', async () => {
      const result = await tokenVerifier.verify(makeContext({ body: '{not json', headers: json }), inBody('myAuth.token'));
      assert.equal(result.ok, false);
      assert.match((result as { reason: string }).reason, /^token missing: the body could not be parsed/);
    });

    it('refuses a missing and a wrong token', async () => {
      assert.deepEqual(await tokenVerifier.verify(makeContext({ body: '{"myAuth":{}}', headers: json }), inBody('myAuth.token')), {
        ok: false,
        reason: 'token missing: nothing at body path myAuth.token',
      });
      assert.deepEqual(await tokenVerifier.verify(makeContext({ body: '{"myAuth":{"token":"nope"}}', headers: json }), inBody('myAuth.token')), {
        ok: false,
        reason: 'token mismatch (body)',
      });
    });

    it('does not walk into inherited properties', async () => {
      const result = await tokenVerifier.verify(makeContext({ body: '{}', headers: json }), inBody('constructor.name'));
      assert.equal(result.ok, false);
    });

    it('round-trips sign and verify for JSON and form bodies', async () => {
      const config = inBody('myAuth.token');
      const signedJson = tokenVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from('{"order":1}') }, config, FIXED_NOW, 'https://x');
      assert.deepEqual(JSON.parse(signedJson.body.toString()), { order: 1, myAuth: { token: 'tok-new' } });
      assert.deepEqual(await tokenVerifier.verify(makeContext({ body: signedJson.body, headers: signedJson.headers }), config), { ok: true });
      const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };
      const signedForm = tokenVerifier.sign({ method: 'POST', pathSuffix: '', headers: formHeaders, body: Buffer.from('x=1') }, config, FIXED_NOW, 'https://x');
      assert.deepEqual(await tokenVerifier.verify(makeContext({ body: signedForm.body, headers: signedForm.headers }), config), { ok: true });
    });

    it('reports the body path for redaction as JSONPath', () => {
      assert.deepEqual(tokenVerifier.sensitiveBodyPaths!(inBody('myAuth.token')), ['$.myAuth.token']);
      assert.deepEqual(tokenVerifier.sensitiveBodyPaths!(inBody("$['a.b'].t")), ["$['a.b'].t"]);
    });

    it('refuses paths that could select several values', () => {
      for (const path of ['$..token', '$.items[*].token', 'a..b', '$']) {
        assert.deepEqual(tokenVerifier.check!(inBody(path)).map((error) => error.path), ['/location/path'], path);
      }
      assert.deepEqual(parseBodyPath('$.items[0].token'), ['items', '0', 'token']);
    });
  });

  describe('in a header', () => {
    const header: TokenConfig = { type: 'token', tokens, location: { in: 'header', name: 'X-Api-Key' } };
    const authorization: TokenConfig = { type: 'token', tokens, location: { in: 'header', name: 'Authorization' } };

    it('accepts the token in the named header and refuses another value', async () => {
      assert.deepEqual(await tokenVerifier.verify(makeContext({ headers: { 'x-api-key': 'tok-new' } }), header), { ok: true });
      assert.deepEqual(await tokenVerifier.verify(makeContext({ headers: { 'x-api-key': 'Bearer tok-new' } }), header), { ok: false, reason: 'token mismatch (header)' });
      assert.deepEqual(await tokenVerifier.verify(makeContext(), header), { ok: false, reason: 'token missing: no x-api-key header' });
    });

    it('accepts both "Bearer <token>" and the bare token in Authorization', async () => {
      assert.deepEqual(await tokenVerifier.verify(makeContext({ headers: { authorization: 'Bearer tok-new' } }), authorization), { ok: true });
      assert.deepEqual(await tokenVerifier.verify(makeContext({ headers: { authorization: 'bearer tok-new' } }), authorization), { ok: true });
      assert.deepEqual(await tokenVerifier.verify(makeContext({ headers: { authorization: 'tok-new' } }), authorization), { ok: true });
    });

    it('says "secret expired" for a token past its expiresAt and accepts it before', async () => {
      assert.deepEqual(await tokenVerifier.verify(makeContext({ headers: { 'x-api-key': 'tok-old' } }), header), { ok: false, reason: 'secret expired' });
      assert.deepEqual(await tokenVerifier.verify(makeContext({ headers: { 'x-api-key': 'tok-old' }, now: Date.UTC(2026, 0, 9) }), header), { ok: true });
    });

    it('masks the header, lower-cased', () => {
      assert.deepEqual(tokenVerifier.sensitiveHeaders(header), ['x-api-key']);
      assert.deepEqual(tokenVerifier.sensitiveQuery!(header), []);
    });
  });

  describe('in the query', () => {
    const query: TokenConfig = { type: 'token', tokens, location: { in: 'query', name: 'token' } };

    it('accepts the token in the query and refuses it missing', async () => {
      assert.deepEqual(await tokenVerifier.verify(makeContext({ url: 'https://h/hooks/x?token=tok-new&a=1' }), query), { ok: true });
      assert.deepEqual(await tokenVerifier.verify(makeContext({ url: 'https://h/hooks/x?a=1' }), query), { ok: false, reason: 'token missing: no query parameter token' });
    });

    it('signs by appending the parameter and masks it in logs', async () => {
      const signed = tokenVerifier.sign({ method: 'POST', pathSuffix: '?a=1', headers: {}, body: Buffer.alloc(0) }, query, FIXED_NOW, 'https://h/hooks/x');
      assert.equal(signed.pathSuffix, '?a=1&token=tok-new');
      assert.deepEqual(await tokenVerifier.verify(makeContext({ url: `https://h/hooks/x${signed.pathSuffix}` }), query), { ok: true });
      assert.deepEqual(tokenVerifier.sensitiveQuery!(query), ['token']);
    });
  });
});
