import assert from 'node:assert/strict';
import { checkConditions, compileConditions, MAX_PATTERN_LENGTH } from '../lib/conditions';

const slack = {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-slack-signature': 'v0=abc' },
  query: { 'hub.mode': 'subscribe', page: '2' },
  body: { type: 'url_verification', challenge: 'c-123', event: { tags: ['a', 'b'], count: 3, meta: { ok: true } } },
};

describe('conditions', () => {
  describe('compileConditions', () => {
    it('holds when every condition holds and fails when one does not', () => {
      const both = compileConditions([
        { path: '$.method', equals: 'POST' },
        { path: '$.body.type', equals: 'url_verification' },
      ]);
      assert.equal(both(slack), true);
      assert.equal(both({ ...slack, method: 'GET' }), false);
    });

    it('holds for every subject when there are no conditions', () => {
      assert.equal(compileConditions([])(undefined), true);
    });

    it('compares strings exactly', () => {
      assert.equal(compileConditions([{ path: '$.body.type', equals: 'url_verification' }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.type', equals: 'url_verificatio' }])(slack), false);
      assert.equal(compileConditions([{ path: '$.body.type', equals: 'URL_VERIFICATION' }])(slack), false);
    });

    it('compares objects and arrays deeply', () => {
      assert.equal(compileConditions([{ path: '$.body.event.tags', equals: ['a', 'b'] }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.event.tags', equals: ['b', 'a'] }])(slack), false);
      assert.equal(compileConditions([{ path: '$.body.event.meta', equals: { ok: true } }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.event.meta', equals: { ok: true, more: 1 } }])(slack), false);
    });

    it('compares a string and a number or boolean by their text', () => {
      assert.equal(compileConditions([{ path: '$.query.page', equals: 2 }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.event.count', equals: '3' }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.event.meta.ok', equals: 'true' }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.event.count', equals: 4 }])(slack), false);
    });

    it('matches null only with null', () => {
      assert.equal(compileConditions([{ path: '$.x', equals: null }])({ x: null }), true);
      assert.equal(compileConditions([{ path: '$.x', equals: null }])({ x: 'null' }), false);
    });

    it('checks that a value exists or does not', () => {
      assert.equal(compileConditions([{ path: '$.body.challenge', exists: true }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.token', exists: true }])(slack), false);
      assert.equal(compileConditions([{ path: '$.body.token', exists: false }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.challenge', exists: false }])(slack), false);
      assert.equal(compileConditions([{ path: '$.x', exists: true }])({ x: null }), true);
    });

    it('matches a regular expression against strings and numbers', () => {
      assert.equal(compileConditions([{ path: '$.body.challenge', matches: '^c-\\d+$' }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.challenge', matches: '^d-' }])(slack), false);
      assert.equal(compileConditions([{ path: '$.body.event.count', matches: '^3$' }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.event', matches: '.*' }])(slack), false);
    });

    it('gives the same answer on every call: a pattern keeps no state between requests', () => {
      const predicate = compileConditions([{ path: '$.body.challenge', matches: 'c' }]);
      assert.deepEqual([predicate(slack), predicate(slack), predicate(slack)], [true, true, true]);
    });

    it('holds when any of several selected values matches', () => {
      assert.equal(compileConditions([{ path: '$.body.event.tags[*]', equals: 'b' }])(slack), true);
      assert.equal(compileConditions([{ path: '$.body.event.tags[*]', equals: 'c' }])(slack), false);
      assert.equal(compileConditions([{ path: '$.body.event.tags[*]', matches: '^b$' }])(slack), true);
    });

    it('needs one value to satisfy both equals and matches in the same condition', () => {
      const predicate = compileConditions([{ path: '$.tags[*]', equals: 'b', matches: '^a' }]);
      assert.equal(predicate({ tags: ['a', 'b'] }), false);
      assert.equal(predicate({ tags: ['ab'] }), false);
    });

    it('reads header names case-insensitively when asked to', () => {
      const conditions = [{ path: "$.headers['X-Slack-Signature']", exists: true }];
      assert.equal(compileConditions(conditions)(slack), false);
      assert.equal(compileConditions(conditions, { headerNamesCaseInsensitive: true })(slack), true);
      assert.equal(compileConditions([{ path: '$.headers.Content-Type', equals: 'application/json' }], { headerNamesCaseInsensitive: true })(slack), true);
    });

    it('refuses a condition that checkConditions would reject', () => {
      assert.throws(() => compileConditions([{ path: '$.a[', exists: true }]), /Invalid condition\/0\/path/);
      assert.throws(() => compileConditions([{ path: '$.a' }]), /needs one of equals, exists or matches/);
    });
  });

  describe('checkConditions', () => {
    it('accepts good conditions', () => {
      assert.deepEqual(checkConditions([{ path: '$.a', equals: 1 }, { path: '$.b', exists: false }, { path: '$.c', matches: '^x' }], '/filter'), []);
    });

    it('names the field of each problem', () => {
      const errors = checkConditions(
        [
          { path: '$.a[?(@.b)]', equals: 1 },
          { path: '$.b' },
          { path: '$.c', matches: '(' },
          { path: '$.d', matches: 'a'.repeat(MAX_PATTERN_LENGTH + 1) },
          { path: '$.e', exists: 'yes' },
          { path: '$.f', exists: false, equals: 1 },
          'not an object',
          { equals: 1 },
        ],
        '/handshake/0/when',
      );
      assert.deepEqual(
        errors.map((error) => error.path),
        [
          '/handshake/0/when/0/path',
          '/handshake/0/when/1',
          '/handshake/0/when/2/matches',
          '/handshake/0/when/3/matches',
          '/handshake/0/when/4/exists',
          '/handshake/0/when/5/exists',
          '/handshake/0/when/6',
          '/handshake/0/when/7/path',
        ],
      );
      assert.match(errors[0]!.message, /script expressions are disabled/);
      assert.match(errors[2]!.message, /not a valid regular expression/);
      assert.match(errors[3]!.message, /at most 500 characters/);
    });

    it('rejects something that is not a list', () => {
      assert.deepEqual(checkConditions({ path: '$.a' }, '/filter'), [{ path: '/filter', message: 'must be a list of conditions' }]);
    });
  });
});
