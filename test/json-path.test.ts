import assert from 'node:assert/strict';
import { JSONPath } from 'jsonpath-plus';
import { checkPath, maskPaths, queryPath } from '../lib/json-path';
import { MASK } from '../lib/security/redact';

const order = {
  id: 'A-1',
  customer: { email: 'ann@example.com', name: 'Ann' },
  lines: [
    { sku: 'X', qty: 1 },
    { sku: 'Y', qty: 2 },
  ],
  'hub.mode': 'subscribe',
  zero: 0,
  nothing: null,
};

describe('json path', () => {
  describe('queryPath', () => {
    it('selects a nested value by name and index', () => {
      assert.deepEqual(queryPath('$.customer.email', order), ['ann@example.com']);
      assert.deepEqual(queryPath('$.lines[1].sku', order), ['Y']);
    });

    it('reads a property whose name contains a dot when it is quoted in brackets', () => {
      assert.deepEqual(queryPath("$['hub.mode']", order), ['subscribe']);
      assert.deepEqual(queryPath('$["hub.mode"]', order), ['subscribe']);
    });

    it('returns every value a wildcard or descendant path selects', () => {
      assert.deepEqual(queryPath('$.lines[*].sku', order), ['X', 'Y']);
      assert.deepEqual(queryPath('$..qty', order), [1, 2]);
    });

    it('returns an empty list when nothing is there', () => {
      assert.deepEqual(queryPath('$.customer.phone', order), []);
      assert.deepEqual(queryPath('$.lines[5]', order), []);
      assert.deepEqual(queryPath('$.id.more', order), []);
    });

    it('keeps falsy values that are present', () => {
      assert.deepEqual(queryPath('$.zero', order), [0]);
      assert.deepEqual(queryPath('$.nothing', order), [null]);
    });

    it('treats a path without the leading $ as starting at the root', () => {
      assert.deepEqual(queryPath('customer.name', order), ['Ann']);
    });

    it('selects the root itself, even when the document is falsy', () => {
      assert.deepEqual(queryPath('$', order), [order]);
      assert.deepEqual(queryPath('$', 0), [0]);
      assert.deepEqual(queryPath('$.a', 0), []);
      assert.deepEqual(queryPath('$[*]', ''), []);
    });

    it('gives the same answers as jsonpath-plus for plain and complex paths', () => {
      const documents: unknown[] = [order, [order, { id: 2 }], { a: { b: [1, { c: 'd' }] }, s: 'text' }, { lines: 'not a list' }];
      const paths = ['$.id', '$.customer.name', '$.lines[0]', '$.lines.0.qty', '$[1].id', '$.a.b[1].c', '$.s.length', '$.lines.length', '$.lines[*]', '$..c', '$.lines[0:1]', '$.a.b[0,1]', "$['hub.mode']"];
      for (const json of documents) {
        for (const path of paths) {
          const expected = JSONPath({ path, json: json as object, eval: false, wrap: true });
          assert.deepEqual(queryPath(path, json), expected, `${path} over ${JSON.stringify(json)}`);
        }
      }
    });

    it('refuses to run a script filter', () => {
      assert.throws(() => queryPath('$.lines[?(@.qty > 1)]', order), /script expressions are disabled/);
    });
  });

  describe('checkPath', () => {
    it('accepts the paths listeners use', () => {
      for (const path of ['$', '$.body.type', "$.query['hub.challenge']", '$.orders[*]', '$..id', '$.a[0:2]', '$.a[1,2]', '$.a.*', 'myAuth.token', '$.a[-1:]', '$.x-y.z_1']) {
        assert.equal(checkPath(path), undefined, path);
      }
    });

    it('names a script filter as disabled', () => {
      assert.match(checkPath('$.a[?(@.x == 1)]')!, /script expressions are disabled/);
      assert.match(checkPath('$.a[(@.length-1)]')!, /script expressions are disabled/);
    });

    it('finds the typos jsonpath-plus would silently accept', () => {
      assert.match(checkPath('$.a[')!, /unclosed `\[`/);
      assert.match(checkPath('$.a]')!, /unexpected "\]" \(at character 4\)/);
      assert.match(checkPath("$['a")!, /unclosed quote/);
      assert.match(checkPath('$.')!, /expected a property name/);
      assert.match(checkPath('$.a b')!, /unexpected " "/);
      assert.match(checkPath("$['a','b']")!, /cannot read/);
      assert.match(checkPath("$['a]b']")!, /cannot contain/);
      assert.match(checkPath('$[]')!, /empty `\[\]`/);
    });

    it('rejects an empty path and @other()', () => {
      assert.equal(checkPath(''), 'must not be empty');
      assert.match(checkPath('$.a@other()')!, /type selector/);
    });
  });

  describe('maskPaths', () => {
    it('masks the selected values in a copy and leaves the input untouched', () => {
      const masked = maskPaths(order, ['$.customer.email', '$.lines[*].sku'], MASK) as typeof order;
      assert.equal(masked.customer.email, '****');
      assert.equal(masked.customer.name, 'Ann');
      assert.deepEqual(masked.lines.map((line) => line.sku), ['****', '****']);
      assert.equal(order.customer.email, 'ann@example.com');
      assert.equal(order.lines[0]!.sku, 'X');
    });

    it('uses the mask it is given', () => {
      assert.deepEqual(maskPaths({ token: 'abc' }, ['$.token'], '[redacted]'), { token: '[redacted]' });
    });

    it('returns the input itself when nothing matches', () => {
      assert.equal(maskPaths(order, ['$.customer.phone'], MASK), order);
      assert.equal(maskPaths(order, [], MASK), order);
    });

    it('masks a whole object selected by a path, and overlapping paths do not fail', () => {
      assert.deepEqual(maskPaths({ card: { number: '4111', cvc: '123' } }, ['$.card', '$.card.number'], MASK), { card: '****' });
      assert.deepEqual(maskPaths({ card: { number: '4111', cvc: '123' } }, ['$.card.number', '$.card'], MASK), { card: '****' });
    });

    it('masks the whole document when a path selects the root', () => {
      assert.equal(maskPaths({ a: 1 }, ['$'], MASK), '****');
    });

    it('masks names that contain a slash or a tilde', () => {
      assert.deepEqual(maskPaths({ 'a/b': 1, 'c~d': 2 }, ["$['a/b']", "$['c~d']"], MASK), { 'a/b': '****', 'c~d': '****' });
    });
  });
});
