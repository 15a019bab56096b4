import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createParserRegistry, findParser, PARSERS } from '../../lib/parsers/index';
import type { BodyParser } from '../../lib/parsers/types';
import { parse, rejectsWith } from './helpers';

describe('body parser registry', () => {
  it('names every parser after its file', () => {
    assert.deepEqual(PARSERS.map((parser) => parser.name).sort(), ['json', 'multipart', 'ndjson', 'urlencoded', 'xml']);
    for (const parser of PARSERS) {
      assert.ok(fs.existsSync(path.join(__dirname, '../../lib/parsers', `${parser.name}.js`)), parser.name);
    }
  });

  it('fails loudly on a duplicate name', () => {
    const parser: BodyParser = { name: 'json', matches: () => false, parse: () => null };
    assert.throws(() => createParserRegistry([...PARSERS, parser]), /body parser "json" is registered twice/);
  });

  it('finds the parser for each media type family', () => {
    const cases: Array<[string, string | undefined]> = [
      ['application/json', 'json'],
      ['application/merge-patch+json', 'json'],
      ['application/x-ndjson', 'ndjson'],
      ['text/xml', 'xml'],
      ['application/xml', 'xml'],
      ['image/svg+xml', 'xml'],
      ['application/x-www-form-urlencoded', 'urlencoded'],
      ['multipart/form-data', 'multipart'],
      ['text/plain', undefined],
      ['text/json', undefined],
      ['multipart/mixed', undefined],
      ['', undefined],
    ];
    for (const [mediaType, name] of cases) assert.equal(findParser(mediaType)?.name, name, mediaType);
  });
});

describe('parseBody', () => {
  it('refuses an unknown Content-Type with ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
    const error = await rejectsWith(() => parse('hello', 'text/plain; charset=utf-8'), 'ERR_UNSUPPORTED_MEDIA_TYPE', /^Content-Type "text\/plain; charset=utf-8" is not supported; send JSON, XML, form or multipart$/);
    assert.equal(error.status, 415);
  });

  it('refuses a non-empty body without a Content-Type', async () => {
    await rejectsWith(() => parse('{"a":1}', undefined), 'ERR_UNSUPPORTED_MEDIA_TYPE', /^Content-Type "" is not supported/);
  });

  it('parses an empty body without a Content-Type to an empty object', async () => {
    assert.deepEqual(await parse('', undefined), {});
  });

  it('refuses an unknown charset before parsing', async () => {
    await rejectsWith(() => parse('{}', 'application/json; charset=x-unknown'), 'ERR_UNSUPPORTED_MEDIA_TYPE', /^charset "x-unknown" is not supported$/);
  });

  it('matches media types case-insensitively', async () => {
    assert.deepEqual(await parse('{"a":1}', 'Application/JSON; Charset=UTF-8'), { a: 1 });
  });

  it('hands the limits to the parser', async () => {
    await rejectsWith(() => parse('a[b][c]=1', 'application/x-www-form-urlencoded', { maxDepth: 2 }), 'ERR_MALFORMED_BODY', /deeper than 2 levels/);
  });
});
