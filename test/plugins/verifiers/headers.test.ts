import assert from 'node:assert/strict';
import { headerValue, queryValue } from '../../../plugins/verifiers/headers';

describe('verifier header and query lookups', () => {
  it('find nothing for a name only Object.prototype has', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      assert.equal(headerValue({ 'x-event': 'push' }, name), undefined, name);
      assert.equal(queryValue({ shop: 'acme' }, name), undefined, name);
    }
  });

  it('still find what the request carries, in objects with or without a prototype', () => {
    const bare = Object.assign(Object.create(null), { 'x-event': ['push', 'ping'], constructor: 'sent' });
    assert.equal(headerValue({ 'x-event': 'push' }, 'X-Event'), 'push');
    assert.equal(headerValue(bare, 'x-event'), 'push, ping');
    assert.equal(headerValue(bare, 'constructor'), 'sent');
    assert.equal(queryValue(Object.assign(Object.create(null), { shop: ['acme', 'other'] }), 'shop'), 'acme');
    assert.equal(queryValue({ constructor: 'sent' }, 'constructor'), 'sent');
  });
});
