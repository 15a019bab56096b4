import assert from 'node:assert/strict';
import { parseJsonText } from '../../lib/parsers/json';
import { findJsonSyntaxError } from '../../lib/parsers/json-syntax';
import { parse, rejectsWith } from './helpers';

describe('json parser', () => {
  it('parses an application/json body', async () => {
    assert.deepEqual(await parse('{"id":7,"items":[{"sku":"A-1"}],"ok":true}', 'application/json'), { id: 7, items: [{ sku: 'A-1' }], ok: true });
  });

  it('parses application/*+json types', async () => {
    assert.deepEqual(await parse('{"a":1}', 'application/vnd.api+json'), { a: 1 });
    assert.deepEqual(await parse('{"a":2}', 'application/cloudevents+json; charset=utf-8'), { a: 2 });
  });

  it('parses a top-level scalar', async () => {
    assert.equal(await parse('42', 'application/json'), 42);
    assert.equal(await parse('"hi"', 'application/json'), 'hi');
  });

  it('names line and column when V8 reports a position', async () => {
    await rejectsWith(() => parse('{\n  "a": 1\n  "b": 2\n}', 'application/json'), 'ERR_MALFORMED_BODY', /^JSON is malformed at line 3, column 3: Expected ',' or '}' after property value$/);
  });

  it('names line and column when V8 reports only the unexpected token', async () => {
    await rejectsWith(() => parse('{\n  "a": 1,\n  "b": x\n}', 'application/json'), 'ERR_MALFORMED_BODY', /^JSON is malformed at line 3, column 8: Unexpected token 'x'$/);
  });

  it('points at the end of a truncated body', async () => {
    await rejectsWith(() => parse('{"a": [1, 2', 'application/json'), 'ERR_MALFORMED_BODY', /at line 1, column 12: /);
  });

  it('refuses a __proto__ key anywhere and names where it is', async () => {
    await rejectsWith(() => parse('{"order":{"lines":[{"__proto__":{"admin":true}}]}}', 'application/json'), 'ERR_MALFORMED_BODY', /"__proto__" key at \$\.order\.lines\[0\]\.__proto__, refused because it can pollute object prototypes/);
  });

  it('refuses a __proto__ key spelled with unicode escapes', async () => {
    await rejectsWith(() => parse('{"a":{"\\u005f\\u005fproto\\u005f\\u005f":{"x":1}}}', 'application/json'), 'ERR_MALFORMED_BODY', /__proto__/);
  });

  it('accepts "__proto__" as a value and constructor as a key', async () => {
    assert.deepEqual(await parse('{"note":"__proto__","constructor":"x"}', 'application/json'), { note: '__proto__', constructor: 'x' });
  });

  it('walks deeply nested bodies without overflowing the stack when the depth limit allows them', async () => {
    const depth = 50_000;
    const body = `${'['.repeat(depth)}"\\u0041"${']'.repeat(depth)}`;
    let value = parseJsonText(body, depth);
    for (let level = 0; level < depth; level += 1) value = (value as unknown[])[0];
    assert.equal(value, 'A');
  });

  it('answers an empty body with "empty body"', async () => {
    await rejectsWith(() => parse('', 'application/json'), 'ERR_MALFORMED_BODY', /^empty body$/);
    await rejectsWith(() => parse(' \r\n', 'application/json'), 'ERR_MALFORMED_BODY', /^empty body$/);
  });

  it('drops a leading byte order mark', async () => {
    assert.deepEqual(await parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')]), 'application/json'), { a: 1 });
  });

  it('honours a utf-16le charset', async () => {
    assert.deepEqual(await parse(Buffer.from('{"name":"Zoë"}', 'utf16le'), 'application/json; charset=utf-16le'), { name: 'Zoë' });
  });

  it('refuses invalid utf-8 but keeps a real U+FFFD', async () => {
    await rejectsWith(() => parse(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'application/json'), 'ERR_MALFORMED_BODY', /not valid utf-8/);
    assert.deepEqual(await parse('{"a":"\uFFFD"}', 'application/json'), { a: '\uFFFD' });
  });
});

describe('json syntax scanner', () => {
  const malformed = ['{"a":1,}', '{"a"', '[1,2', '"abc', '{"a":1}x', '[01]', '[1.]', '[-]', '{"a" 1}', '[1 2]', '{,}', '["\\x"]', '["\\u12G4"]', '{1:2}', '[true false]', '-01', '1.5e+'];

  it('finds the same position V8 reports for each malformed sample', () => {
    for (const text of malformed) {
      let position = -2;
      try {
        JSON.parse(text);
      } catch (error) {
        position = Number(/at position (\d+)/.exec((error as Error).message)?.[1]);
      }
      assert.equal(findJsonSyntaxError(text), position, text);
    }
  });

  it('finds the token V8 names without a position', () => {
    assert.equal(findJsonSyntaxError('{"a":tru}'), 8);
    assert.equal(findJsonSyntaxError('[1,]'), 3);
    assert.equal(findJsonSyntaxError('{"a":{"b":[1,{"c":}]}}'), 18);
  });

  it('returns -1 for valid JSON', () => {
    for (const text of ['{}', '[]', ' 0 ', 'true', '{"a":[1,2,{"b":null}],"c":-1.5e-3}', '{"\\u00e9\\n":"\\"/"}']) assert.equal(findJsonSyntaxError(text), -1, text);
  });
});
