import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { AppError } from '../lib/errors';
import { checkDeep, checkTemplate, compileDeep, compileTemplate, TemplateRenderError } from '../lib/templates';

function render(source: string, context: object = {}): string {
  return compileTemplate(source, '/test')(context);
}

describe('templates', () => {
  describe('helpers', () => {
    it('join puts the separator between values and flattens arrays', () => {
      assert.equal(render('{{join "_" field1 field2}}', { field1: 'A', field2: 7 }), 'A_7');
      assert.equal(render('{{join "-" ids last}}', { ids: ['a', ['b', 'c']], last: 'd' }), 'a-b-c-d');
    });

    it('join keeps the position of a missing value', () => {
      assert.equal(render('{{join "_" a b c}}', { a: 'x', c: 'z' }), 'x__z');
    });

    it('json writes JSON, unescaped', () => {
      assert.equal(render('{"customer": {{json customer}} }', { customer: { name: 'O"Neil & <Co>' } }), '{"customer": {"name":"O\\"Neil & <Co>"} }');
      assert.equal(render('{{{json missing}}}'), 'null');
      assert.equal(render('{{json list 2}}', { list: [1] }), '[\n  1\n]');
    });

    it('hmac gives the known HMAC-SHA256 test vector', () => {
      const context = { key: 'key', message: 'The quick brown fox jumps over the lazy dog' };
      assert.equal(render('{{hmac "sha256" key message "hex"}}', context), 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
      assert.equal(render('{{hmac "sha256" key message}}', context), 'f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
    });

    it('hmac encodes as base64 and base64url, with other algorithms', () => {
      const expected = createHmac('sha512', 'k').update('m').digest();
      assert.equal(render('{{hmac "sha512" "k" "m" "base64"}}'), expected.toString('base64'));
      assert.equal(render('{{hmac "sha512" "k" "m" "base64url"}}'), expected.toString('base64url'));
      assert.equal(render('{{hmac "sha1" "k" "m"}}'), createHmac('sha1', 'k').update('m').digest('hex'));
    });

    it('hmac refuses an unknown algorithm, an unknown encoding and a missing key', () => {
      assert.throws(() => render('{{hmac "md5" "k" "m"}}'), /algorithm must be one of sha1, sha256, sha384, sha512/);
      assert.throws(() => render('{{hmac "sha256" "k" "m" "binary"}}'), /encoding must be one of/);
      assert.throws(() => render('{{hmac "sha256" secret "m"}}', {}), /the key is missing/);
    });

    it('base64, sha256, lowercase and uppercase transform text', () => {
      assert.equal(render('{{base64 "user:pass"}}'), 'dXNlcjpwYXNz');
      assert.equal(render('{{sha256 "abc"}}'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
      assert.equal(render('{{lowercase "AbC"}}-{{uppercase "AbC"}}'), 'abc-ABC');
    });

    it('default uses the fallback for a missing, null or empty value only', () => {
      assert.equal(render('{{default a "none"}}|{{default b "none"}}|{{default c "none"}}|{{default d "none"}}', { b: null, c: '', d: 0 }), 'none|none|none|0');
    });

    it('eq compares strictly inside an if', () => {
      assert.equal(render('{{#if (eq mode "subscribe")}}yes{{else}}no{{/if}}', { mode: 'subscribe' }), 'yes');
      assert.equal(render('{{#if (eq count "1")}}yes{{else}}no{{/if}}', { count: 1 }), 'no');
    });
  });

  describe('compileTemplate', () => {
    it('does not HTML-escape, because we produce JSON and text', () => {
      assert.equal(render('{{a}}', { a: '<b> & "c" = d' }), '<b> & "c" = d');
    });

    it('joins adjacent numbers as text instead of adding them (a trace key {{id}}{{line}})', () => {
      assert.equal(render('{{a}}{{b}}', { a: 7, b: 7 }), '77');
      assert.equal(render('{{a}}{{b}}{{#if c}}-{{c}}{{/if}}', { a: 1, b: 2, c: 3 }), '12-3');
      assert.equal(render('{{a}}{{b}}', { a: 0, b: false }), '0false');
    });

    it('renders a missing field as empty text', () => {
      assert.equal(render('[{{a.b.c}}]', {}), '[]');
    });

    it('reads names with dots and dashes (Meta, headers)', () => {
      assert.equal(render('{{query.[hub.challenge]}}/{{headers.x-request-id}}', { query: { 'hub.challenge': '42' }, headers: { 'x-request-id': 'r1' } }), '42/r1');
    });

    it('throws a field error naming the field for a template that does not compile', () => {
      assert.throws(
        () => compileTemplate('{{#if a}}open', '/records/traceKeyTemplate'),
        (error: unknown) => {
          assert.ok(error instanceof AppError);
          assert.equal(error.code, 'ERR_INVALID_REQUEST');
          const errors = error.extensions.errors as Array<{ path: string; message: string }>;
          assert.equal(errors.length, 1);
          assert.equal(errors[0]!.path, '/records/traceKeyTemplate');
          assert.equal(errors[0]!.message, 'does not compile: line 1, column 14: the template ends where {{else …}}, {{else}} or {{/…}} was expected');
          return true;
        },
      );
    });

    it('surfaces a failure while rendering as a TemplateRenderError naming the field', () => {
      const template = compileTemplate('{{hmac "sha256" secret body}}', '/handshake/0/respond/body');
      assert.throws(
        () => template({ body: 'x' }),
        (error: unknown) => error instanceof TemplateRenderError && error.field === '/handshake/0/respond/body' && /the key is missing/.test(error.message),
      );
    });

    it('has no log helper that would write to the server console', () => {
      assert.match(checkTemplate('{{log "hello"}}', '/t')[0]!.message, /unknown helper "log"/);
    });
  });

  describe('checkTemplate', () => {
    it('returns no errors for a good template', () => {
      assert.deepEqual(checkTemplate('{{join "_" a b}} {{#each items}}{{this}}{{/each}}', '/t'), []);
    });

    it('names the field and the problem for a syntax error', () => {
      const [error] = checkTemplate('{{foo', '/response/body');
      assert.equal(error!.path, '/response/body');
      assert.equal(error!.message, 'does not compile: line 1, column 3: found something Handlebars cannot read here (an unclosed {{…}}, or a character a name cannot hold)');
    });

    it('refuses partials and unknown helpers before the first request', () => {
      assert.match(checkTemplate('{{> header}}', '/t')[0]!.message, /partials are not supported/);
      assert.match(checkTemplate('{{jion "_" a b}}', '/t')[0]!.message, /unknown helper "jion" \(line 1\)/);
      assert.match(checkTemplate('{{#if (nope a)}}x{{/if}}', '/t')[0]!.message, /unknown helper "nope"/);
    });

    it('catches `}}}` closing a JSON object right after a mustache, which Handlebars reads as a triple-stash', () => {
      assert.match(checkTemplate('{"a": {{json a}}}', '/t')[0]!.message, /line 1, column 15: found \}\}\}, which Handlebars reads as one closing; put a space before the last \}/);
      assert.deepEqual(checkTemplate('{"a": {{json a}} }', '/t'), []);
    });

    it('refuses something that is not a string', () => {
      assert.deepEqual(checkTemplate(42, '/t'), [{ path: '/t', message: 'must be a template string' }]);
    });
  });

  describe('typed compileDeep (records.output)', () => {
    const context = { record: { n: 7, list: [1, 2], obj: { a: 1 }, none: null, flag: false, text: '7' } };
    const render = (value: unknown) => compileDeep(value, '/records/output', { typed: true })(context);

    it('keeps the JSON type of a string that is exactly one {{expression}}', () => {
      assert.deepEqual(render({ n: '{{record.n}}', list: '{{record.list}}', obj: '{{record.obj}}', none: '{{record.none}}', flag: '{{ record.flag }}' }), {
        n: 7, list: [1, 2], obj: { a: 1 }, none: null, flag: false,
      });
    });

    it('gives a helper call its return value and a literal its type', () => {
      assert.equal(render('{{default record.missing 5}}'), 5);
      assert.equal(render('{{eq record.n 7}}'), true);
      assert.equal(render('{{json record.obj}}'), '{"a":1}');
      assert.equal(render('{{42}}'), 42);
    });

    it('renders text around or between expressions as text, and leaves untyped compileDeep as text', () => {
      assert.equal(render('n={{record.n}}'), 'n=7');
      assert.equal(render('{{record.n}}-{{record.n}}'), '7-7');
      assert.equal(render('{{{record.n}}}'), '7');
      assert.equal(compileDeep('{{record.n}}', '/x')(context), '7');
    });

    it('throws a TemplateRenderError from `required` on a missing value', () => {
      assert.throws(() => render({ id: '{{required record.missing}}' }), TemplateRenderError);
      assert.throws(() => render('{{required record.text}}x{{required record.none}}'), /required value is missing/);
    });
  });

  describe('compileDeep', () => {
    const body = { challenge: '{{body.challenge}}', nested: [{ n: 1, s: 'plain' }, '{{method}}'], flag: true, none: null };
    const context = { method: 'POST', body: { challenge: 'abc' } };

    it('renders every string inside a JSON value and keeps the rest', () => {
      assert.deepEqual(compileDeep(body, '/b')(context), { challenge: 'abc', nested: [{ n: 1, s: 'plain' }, 'POST'], flag: true, none: null });
    });

    it('keeps a key named __proto__ as a plain property', () => {
      const value = JSON.parse('{"__proto__": "{{method}}"}') as unknown;
      const rendered = compileDeep(value, '/b')(context) as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(rendered), Object.prototype);
      assert.equal(JSON.stringify(rendered), '{"__proto__":"POST"}');
    });

    it('reports a bad nested template with the path to it', () => {
      assert.deepEqual(
        checkDeep({ a: ['ok', '{{#each}}'] }, '/handshake/0/respond/body').map((error) => error.path),
        ['/handshake/0/respond/body/a/1'],
      );
      assert.throws(() => compileDeep({ a: ['{{#each}}'] }, '/b'), (error: unknown) => error instanceof AppError && error.detail!.startsWith('/b/a/0 '));
    });
  });
});
