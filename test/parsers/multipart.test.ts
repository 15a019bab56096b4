import assert from 'node:assert/strict';
import { parse, rejectsWith } from './helpers';

const BOUNDARY = '----HookportBoundary7MA4YWxk';
const CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  type?: string;
}

/** Builds a body the way a browser or curl -F would. */
function multipart(parts: Part[], boundary = BOUNDARY): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('multipart parser', () => {
  it('turns fields into values with the form nesting and repetition rules', async () => {
    const body = multipart([
      { name: 'event', value: 'order.created' },
      { name: 'tag', value: 'a' },
      { name: 'tag', value: 'b' },
      { name: 'customer[address][zip]', value: '02134' },
    ]);
    assert.deepEqual(await parse(body, CONTENT_TYPE), { event: 'order.created', tag: ['a', 'b'], customer: { address: { zip: '02134' } } });
  });

  it('turns a file into { name, mime, data } with data in base64', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    const body = multipart([{ name: 'attachment', value: bytes, filename: 'all-bytes.bin', type: 'application/octet-stream' }]);
    const parsed = (await parse(body, CONTENT_TYPE)) as { attachment: { name: string; mime: string; data: string } };
    assert.deepEqual(parsed, { attachment: { name: 'all-bytes.bin', mime: 'application/octet-stream', data: bytes.toString('base64') } });
    assert.deepEqual(Buffer.from(parsed.attachment.data, 'base64'), bytes);
  });

  it('makes an array when a second file comes under the same field', async () => {
    const body = multipart([
      { name: 'files', value: 'one', filename: 'a.txt', type: 'text/plain' },
      { name: 'files', value: 'two', filename: 'b.csv', type: 'text/csv' },
    ]);
    assert.deepEqual(await parse(body, CONTENT_TYPE), {
      files: [
        { name: 'a.txt', mime: 'text/plain', data: Buffer.from('one').toString('base64') },
        { name: 'b.csv', mime: 'text/csv', data: Buffer.from('two').toString('base64') },
      ],
    });
  });

  it('decodes a utf-8 filename and drops any directory part', async () => {
    const body = multipart([{ name: 'f', value: 'x', filename: 'C:\\Users\\zoë\\Résumé.pdf', type: 'application/pdf' }]);
    assert.equal(((await parse(body, CONTENT_TYPE)) as { f: { name: string } }).f.name, 'Résumé.pdf');
  });

  it('keeps the boundary case-sensitive', async () => {
    const boundary = 'MiXeDcAsE';
    assert.deepEqual(await parse(multipart([{ name: 'a', value: '1' }], boundary), `Multipart/Form-Data; boundary=${boundary}`), { a: '1' });
  });

  it('accepts a file of exactly multipartMaxFileBytes and refuses one byte more', async () => {
    const file = (size: number) => multipart([{ name: 'f', value: Buffer.alloc(size, 1), filename: 'f.bin' }]);
    assert.ok(await parse(file(16), CONTENT_TYPE, { multipartMaxFileBytes: 16 }));
    await rejectsWith(() => parse(file(17), CONTENT_TYPE, { multipartMaxFileBytes: 16 }), 'ERR_PAYLOAD_TOO_LARGE', /^file "f\.bin" in field "f" is larger than 16 bytes \(multipartMaxFileBytes\)$/);
  });

  it('accepts a field of exactly multipartMaxFieldBytes and refuses one byte more', async () => {
    const field = (size: number) => multipart([{ name: 'note', value: 'x'.repeat(size) }]);
    assert.deepEqual(await parse(field(8), CONTENT_TYPE, { multipartMaxFieldBytes: 8 }), { note: 'xxxxxxxx' });
    await rejectsWith(() => parse(field(9), CONTENT_TYPE, { multipartMaxFieldBytes: 8 }), 'ERR_PAYLOAD_TOO_LARGE', /^field "note" is larger than 8 bytes \(multipartMaxFieldBytes\)$/);
  });

  it('accepts multipartMaxParts parts and refuses one more', async () => {
    const parts = (count: number) => multipart(Array.from({ length: count }, (_, index) => ({ name: `p${index}`, value: 'v', ...(index % 2 ? { filename: `${index}.txt` } : {}) })));
    assert.equal(Object.keys((await parse(parts(4), CONTENT_TYPE, { multipartMaxParts: 4 })) as object).length, 4);
    await rejectsWith(() => parse(parts(5), CONTENT_TYPE, { multipartMaxParts: 4 }), 'ERR_PAYLOAD_TOO_LARGE', /^more than 4 parts \(multipartMaxParts\)$/);
  });

  it('refuses a Content-Type without a boundary', async () => {
    await rejectsWith(() => parse(multipart([{ name: 'a', value: '1' }]), 'multipart/form-data'), 'ERR_MALFORMED_BODY', /Boundary not found/);
  });

  it('refuses a truncated body', async () => {
    const body = multipart([{ name: 'a', value: 'some value' }]);
    await rejectsWith(() => parse(body.subarray(0, body.length - 20), CONTENT_TYPE), 'ERR_MALFORMED_BODY', /^multipart body is malformed: Unexpected end of form$/);
  });

  it('refuses a body that uses another boundary', async () => {
    await rejectsWith(() => parse(multipart([{ name: 'a', value: '1' }], 'other'), CONTENT_TYPE), 'ERR_MALFORMED_BODY', /^multipart body is malformed/);
  });

  it('refuses an empty body', async () => {
    await rejectsWith(() => parse('', CONTENT_TYPE), 'ERR_MALFORMED_BODY', /^multipart body is malformed/);
  });

  it('refuses prototype-polluting field names', async () => {
    await rejectsWith(() => parse(multipart([{ name: 'a[__proto__][admin]', value: '1' }]), CONTENT_TYPE), 'ERR_MALFORMED_BODY', /can pollute object prototypes/);
    await rejectsWith(() => parse(multipart([{ name: 'constructor', value: 'x', filename: 'x.txt' }]), CONTENT_TYPE), 'ERR_MALFORMED_BODY', /can pollute object prototypes/);
  });
});
