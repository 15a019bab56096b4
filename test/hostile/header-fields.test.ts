/**
 * Finding 9 of #11: a CRLF in an import header value was accepted (201) and every
 * delivery then failed as "retryable". Header names and values are checked
 * (RFC 9110 §5.1, §5.5) when imports and listener response headers are saved.
 */
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../helpers/harness';
import { checkHeaderField } from '../../lib/http/header-field';

describe('hostile: header fields saved through the API', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  for (const value of ['a\r\nX-Injected: 1', 'a\nb', 'nul\u0000', 'bell\u0007', 'snow\u2603']) {
    it(`refuses an import header value ${JSON.stringify(value)} with 400 naming it`, async () => {
      const response = await h.api().post('/imports', { name: 'i', url: 'https://erp.example/x', headers: [{ name: 'X-Token', value, private: true }] });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body.errors.map((e: { path: string }) => e.path), ['/headers/0/value']);
    });
  }

  it('refuses a CRLF in a listener response header, and keeps accepting a normal one', async () => {
    const bad = await h.api().post('/listeners', { name: 'l', response: { headers: { 'X-Received': 'ok\r\nSet-Cookie: a=b' } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].path, '/response/headers/X-Received');
    const good = await h.api().post('/listeners', { name: 'l', response: { headers: { 'X-Received': '{{recordCount}} records\tok' } } });
    assert.equal(good.status, 201);
    assert.equal((await h.api().post('/imports', { name: 'i', url: 'https://erp.example/x', headers: [{ name: 'X-Token', value: 'Bearer abc é' }] })).status, 201);
  });

  it('is one reusable check for any header field', () => {
    assert.deepEqual(checkHeaderField('Good-Name', 'value', { name: '/n', value: '/v' }), []);
    assert.deepEqual(checkHeaderField('bad name', 'v\r', { name: '/n', value: '/v' }).map((e) => e.path), ['/n', '/v']);
  });
});
