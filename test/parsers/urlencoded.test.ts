import assert from 'node:assert/strict';
import { parseQueryString } from '../../lib/parsers/index';
import { MAX_FORM_PARAMETERS } from '../../lib/parsers/urlencoded';
import { parse, rejectsWith } from './helpers';

const FORM = 'application/x-www-form-urlencoded';

describe('urlencoded parser', () => {
  it('nests bracketed names into objects', async () => {
    assert.deepEqual(await parse('customer[name]=Ann&customer[address][zip]=02134&id=7', FORM), { customer: { name: 'Ann', address: { zip: '02134' } }, id: '7' });
  });

  it('makes an array from [] and from repeated keys', async () => {
    assert.deepEqual(await parse('a[]=1&a[]=2&b=1&b=2&b=3', FORM), { a: ['1', '2'], b: ['1', '2', '3'] });
  });

  it('mixes a plain key and [] into one array', async () => {
    assert.deepEqual(await parse('a=1&a[]=2&b[]=1&b=2', FORM), { a: ['1', '2'], b: ['1', '2'] });
  });

  it('starts a new array element for each [] followed by a key', async () => {
    assert.deepEqual(await parse('items[][sku]=A&items[][sku]=B', FORM), { items: [{ sku: 'A' }, { sku: 'B' }] });
  });

  it('treats numeric segments as object keys', async () => {
    assert.deepEqual(await parse('items[0][sku]=A&items[1][sku]=B', FORM), { items: { '0': { sku: 'A' }, '1': { sku: 'B' } } });
  });

  it('takes names with unbalanced brackets literally', async () => {
    assert.deepEqual(await parse('a[b=1&[x]=2&c[d]e=3', FORM), { 'a[b': '1', '[x]': '2', 'c[d]e': '3' });
  });

  it('decodes + as a space and %2B as a plus', async () => {
    assert.deepEqual(await parse('q=a+b%2Bc&na+me=x', FORM), { q: 'a b+c', 'na me': 'x' });
  });

  it('percent-decodes utf-8, keeps malformed escapes and replaces invalid bytes', async () => {
    assert.deepEqual(await parse('price=%E2%82%AC5&pct=100%&bad=%zz&latin=%E9', FORM), { price: '€5', pct: '100%', bad: '%zz', latin: '\uFFFD' });
  });

  it('decodes escapes in the declared charset', async () => {
    assert.deepEqual(await parse('name=Ren%E9&price=%805', `${FORM}; charset=windows-1252`), { name: 'René', price: '€5' });
  });

  it('skips empty pairs and gives a bare name an empty value', async () => {
    assert.deepEqual(await parse('&&a&b=&=x', FORM), { a: '', b: '' });
  });

  it('parses an empty body to an empty object', async () => {
    assert.deepEqual(await parse('', FORM), {});
  });

  it('keeps names that exist on Object.prototype as ordinary fields', async () => {
    assert.deepEqual(await parse('toString=1&toString=2&hasOwnProperty=x', FORM), { toString: ['1', '2'], hasOwnProperty: 'x' });
  });

  it('refuses nesting deeper than maxDepth', async () => {
    assert.deepEqual(await parse('a[b][c]=1', FORM, { maxDepth: 3 }), { a: { b: { c: '1' } } });
    await rejectsWith(() => parse('a[b][c][d]=1', FORM, { maxDepth: 3 }), 'ERR_MALFORMED_BODY', /^form field "a\[b\]\[c\]\[d\]" is nested deeper than 3 levels$/);
  });

  it(`accepts ${MAX_FORM_PARAMETERS} parameters and refuses one more`, async () => {
    const fields = (count: number) => Array.from({ length: count }, (_, index) => `f${index}=1`).join('&');
    assert.equal(Object.keys((await parse(fields(MAX_FORM_PARAMETERS), FORM)) as object).length, MAX_FORM_PARAMETERS);
    await rejectsWith(() => parse(fields(MAX_FORM_PARAMETERS + 1), FORM), 'ERR_MALFORMED_BODY', /^more than 1000 form fields$/);
  });

  it('refuses prototype-polluting segments anywhere in a name', async () => {
    for (const body of ['__proto__[admin]=1', 'a[__proto__][admin]=1', 'a[constructor][prototype][admin]=1', 'prototype=1', '%5F_proto__[x]=1']) {
      await rejectsWith(() => parse(body, FORM), 'ERR_MALFORMED_BODY', /can pollute object prototypes/);
    }
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  it('refuses a name used both as a value and as an object', async () => {
    await rejectsWith(() => parse('a=1&a[b]=2', FORM), 'ERR_MALFORMED_BODY', /"a\[b\]" conflicts with an earlier form field/);
    await rejectsWith(() => parse('a[b]=1&a=2', FORM), 'ERR_MALFORMED_BODY', /"a" conflicts/);
    await rejectsWith(() => parse('a[b]=1&a[]=2', FORM), 'ERR_MALFORMED_BODY', /"a\[\]" conflicts/);
  });
});

describe('parseQueryString', () => {
  it('parses a query string with or without the leading ?', () => {
    assert.deepEqual(parseQueryString('?hub.mode=subscribe&hub.challenge=123&ids[]=1&ids[]=2'), { 'hub.mode': 'subscribe', 'hub.challenge': '123', ids: ['1', '2'] });
    assert.deepEqual(parseQueryString('a[b]=c+d'), { a: { b: 'c d' } });
    assert.deepEqual(parseQueryString(''), {});
  });

  it('refuses prototype-polluting names with a query-parameter detail', async () => {
    await rejectsWith(() => parseQueryString('__proto__[x]=1'), 'ERR_MALFORMED_BODY', /^query parameter "__proto__\[x\]" is refused/);
  });
});
