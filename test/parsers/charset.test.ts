import assert from 'node:assert/strict';
import { decodeText } from '../../lib/parsers/charset';
import { decodeWindows1252 } from '../../lib/parsers/windows-1252';
import { rejectsWith } from './helpers';

describe('charset decoding', () => {
  it('decodes utf-8 when no charset is given and drops a byte order mark', () => {
    assert.equal(decodeText(Buffer.from('\uFEFFgrüße'), undefined), 'grüße');
  });

  it('refuses invalid utf-8', async () => {
    await rejectsWith(() => decodeText(Buffer.from([0x61, 0xff, 0x62]), 'utf-8'), 'ERR_MALFORMED_BODY', /^body is not valid utf-8$/);
  });

  it('decodes utf-16le and utf-16be', () => {
    assert.equal(decodeText(Buffer.from('Zoë', 'utf16le'), 'utf-16le'), 'Zoë');
    assert.equal(decodeText(Buffer.from([0x00, 0x5a, 0x00, 0xeb]), 'utf-16be'), 'Zë');
  });

  it('refuses a truncated utf-16 body', async () => {
    await rejectsWith(() => decodeText(Buffer.from([0x41, 0x00, 0x42]), 'utf-16le'), 'ERR_MALFORMED_BODY', /^body is not valid utf-16le$/);
  });

  it('decodes latin1, iso-8859-1, us-ascii and windows-1252 as windows-1252, as browsers do', () => {
    const bytes = Buffer.from([0x80, 0x20, 0x93, 0x71, 0x94, 0x20, 0xe9]);
    for (const label of ['latin1', 'iso-8859-1', 'us-ascii', 'windows-1252', 'cp1252']) {
      assert.equal(decodeText(bytes, label), '€ “q” é', label);
    }
  });

  it('maps every windows-1252 byte the way the WHATWG index does', () => {
    const decoded = decodeWindows1252(Buffer.from([0x80, 0x81, 0x8a, 0x9f, 0xa0, 0xff]));
    assert.deepEqual([...decoded].map((char) => char.codePointAt(0)), [0x20ac, 0x81, 0x160, 0x178, 0xa0, 0xff]);
  });

  it('decodes other WHATWG charsets through TextDecoder', () => {
    assert.equal(decodeText(Buffer.from([0xc1, 0xc2]), 'koi8-r'), 'аб');
  });

  it('refuses an unknown charset with ERR_UNSUPPORTED_MEDIA_TYPE', async () => {
    await rejectsWith(() => decodeText(Buffer.from('x'), 'x-klingon'), 'ERR_UNSUPPORTED_MEDIA_TYPE', /^charset "x-klingon" is not supported$/);
    await rejectsWith(() => decodeText(Buffer.from('x'), 'iso-2022-kr'), 'ERR_UNSUPPORTED_MEDIA_TYPE', /^charset "iso-2022-kr" is not supported$/);
  });
});
