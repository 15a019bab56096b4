import assert from 'node:assert/strict';
import { parse, rejectsWith } from './helpers';

describe('ndjson parser', () => {
  it('parses one value per line, skipping blank lines and CRLF ends', async () => {
    assert.deepEqual(await parse('{"a":1}\r\n\r\n  \n[2]\n"three"\n', 'application/x-ndjson'), [{ a: 1 }, [2], 'three']);
  });

  it('accepts the JSON Lines media types', async () => {
    assert.deepEqual(await parse('{"a":1}\n{"b":2}', 'application/jsonl'), [{ a: 1 }, { b: 2 }]);
    assert.deepEqual(await parse('{"a":1}', 'application/x-jsonlines'), [{ a: 1 }]);
  });

  it('names the line and column of a malformed value', async () => {
    await rejectsWith(() => parse('{"a":1}\n\n{"b":2\n', 'application/x-ndjson'), 'ERR_MALFORMED_BODY', /^NDJSON line 3 is malformed at column 7: /);
  });

  it('refuses a __proto__ key and names its line', async () => {
    await rejectsWith(() => parse('{"a":1}\n{"__proto__":{}}', 'application/x-ndjson'), 'ERR_MALFORMED_BODY', /^NDJSON line 2 contains a "__proto__" key/);
  });

  it('answers a body of blank lines with "empty body"', async () => {
    await rejectsWith(() => parse('\n \n', 'application/x-ndjson'), 'ERR_MALFORMED_BODY', /^empty body$/);
  });
});
