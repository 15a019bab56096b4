import assert from 'node:assert/strict';
import { parse, rejectsWith } from './helpers';
import { parseXmlBytes, XML_WORKER_BYTES } from '../../lib/parsers/xml';
import { DEFAULT_PARSE_LIMITS } from '../../lib/parsers/types';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>`;

function nested(levels: number): string {
  return `${'<level>'.repeat(levels)}x${'</level>'.repeat(levels)}`;
}

describe('xml parser', () => {
  it('keeps attributes under @_', async () => {
    assert.deepEqual(await parse('<order id="17" status="paid"><total currency="EUR">9.50</total></order>', 'application/xml'), {
      order: { '@_id': '17', '@_status': 'paid', total: { '#text': '9.50', '@_currency': 'EUR' } },
    });
  });

  it('keeps tag case', async () => {
    assert.deepEqual(await parse('<Order><LineItem>a</LineItem><lineitem>b</lineitem></Order>', 'text/xml'), { Order: { LineItem: 'a', lineitem: 'b' } });
  });

  it('keeps values as strings so leading zeros and look-alike numbers survive', async () => {
    assert.deepEqual(await parse('<a zip="02134"><zip>02134</zip><id>000123</id><big>12345678901234567890</big><flag>true</flag><e>1e5</e></a>', 'text/xml'), {
      a: { '@_zip': '02134', zip: '02134', id: '000123', big: '12345678901234567890', flag: 'true', e: '1e5' },
    });
  });

  it('makes repeated children an array', async () => {
    assert.deepEqual(await parse('<shipments><shipment>1</shipment><shipment>2</shipment></shipments>', 'application/xml'), { shipments: { shipment: ['1', '2'] } });
  });

  it('drops the declaration and processing instructions', async () => {
    assert.deepEqual(await parse('<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><a>1</a>', 'application/xml'), { a: '1' });
  });

  it('keeps CDATA as literal text', async () => {
    assert.deepEqual(await parse('<a><![CDATA[<b>&amp;</b>]]></a>', 'application/xml'), { a: '<b>&amp;</b>' });
  });

  it('expands the five predefined entities and character references once', async () => {
    assert.deepEqual(await parse('<a t="&quot;x&quot;">&lt;&gt;&amp;&apos; &#65;&#x42; &amp;lt;</a>', 'application/xml'), { a: { '#text': `<>&' AB &lt;`, '@_t': '"x"' } });
  });

  it('does not expand entities declared in a DOCTYPE', async () => {
    const body = '<!DOCTYPE a [<!ENTITY company "Acme">]><a>&company;</a>';
    assert.deepEqual(await parse(body, 'application/xml'), { a: '&company;' });
  });

  it('refuses external entity declarations', async () => {
    const body = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>';
    await rejectsWith(() => parse(body, 'application/xml'), 'ERR_MALFORMED_BODY', /^XML is malformed: External entities are not supported$/);
  });

  it('answers a billion-laughs document fast and without expanding it', async () => {
    const started = process.hrtime.bigint();
    let outcome: unknown;
    try {
      outcome = await parse(BILLION_LAUGHS, 'application/xml');
    } catch (error) {
      outcome = error;
    }
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(elapsedMs < 250, `took ${elapsedMs} ms`);
    if (outcome instanceof Error) {
      assert.equal((outcome as { status?: number }).status, 400);
    } else {
      assert.ok(!JSON.stringify(outcome).includes('lollol'), 'an entity was expanded');
      assert.deepEqual(outcome, { lolz: '&lol9;' });
    }
  });

  it('names line and column of malformed XML', async () => {
    await rejectsWith(() => parse('<a>\n  <b>\n</a>', 'application/xml'), 'ERR_MALFORMED_BODY', /^XML is malformed at line 3, column 1: Expected closing tag 'b'/);
  });

  it('refuses text that is not XML', async () => {
    await rejectsWith(() => parse('hello', 'application/xml'), 'ERR_MALFORMED_BODY', /^XML is malformed at line 1, column 1/);
  });

  it('answers an empty body with "empty body"', async () => {
    await rejectsWith(() => parse('  ', 'text/xml'), 'ERR_MALFORMED_BODY', /^empty body$/);
  });

  it('accepts nesting up to maxDepth and refuses one level more', async () => {
    assert.ok(await parse(nested(5), 'application/xml', { maxDepth: 5 }));
    await rejectsWith(() => parse(nested(6), 'application/xml', { maxDepth: 5 }), 'ERR_MALFORMED_BODY', /^XML is nested deeper than 5 levels( at line \d+, column \d+)?$/);
  });

  it('refuses element names that could pollute prototypes', async () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      await rejectsWith(() => parse(`<a><${name}><admin>1</admin></${name}></a>`, 'application/xml'), 'ERR_MALFORMED_BODY', new RegExp(`<${name}> is refused`));
    }
  });

  it('strips a leading utf-8 byte order mark', async () => {
    assert.deepEqual(await parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>1</a>')]), 'application/xml'), { a: '1' });
  });

  it('honours the charset parameter', async () => {
    assert.deepEqual(await parse(Buffer.from('<a>café</a>', 'latin1'), 'text/xml; charset=ISO-8859-1'), { a: 'café' });
  });

  it('honours the encoding declaration when the header has no charset', async () => {
    assert.deepEqual(await parse(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>café</a>', 'latin1'), 'application/xml'), { a: 'café' });
  });

  it('ignores a utf-16 encoding declaration on a body that is plainly not utf-16', async () => {
    assert.deepEqual(await parse('<?xml version="1.0" encoding="UTF-16"?><a>ü</a>', 'application/xml'), { a: 'ü' });
  });

  it('detects utf-16 from its byte order mark', async () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<a>ü</a>', 'utf16le')]);
    assert.deepEqual(await parse(body, 'application/xml'), { a: 'ü' });
  });

  it('handles any +xml type', async () => {
    assert.deepEqual(await parse('<Envelope><Body>x</Body></Envelope>', 'application/soap+xml'), { Envelope: { Body: 'x' } });
    assert.deepEqual(await parse('<feed>x</feed>', 'application/atom+xml'), { feed: 'x' });
  });

  it('refuses an element with more than 1,000 attributes, before the validator', async () => {
    const attributes = (count: number) => Array.from({ length: count }, (_, i) => ` a${i}="1"`).join('');
    const accepted = (await parse(`<r${attributes(1000)}/>`, 'application/xml')) as { r: Record<string, string> };
    assert.equal(Object.keys(accepted.r).length, 1000);
    await rejectsWith(() => parse(`<r>\n  <e${attributes(1001)}/></r>`, 'application/xml'), 'ERR_MALFORMED_BODY', /^XML element at line 2, column 3 has more than 1000 attributes$/);
    // 400,000 attributes (4.7 MiB): over 15 s in the parser before the limit.
    const started = Date.now();
    await rejectsWith(() => parse(`<r${attributes(400_000)}/>`, 'application/xml'), 'ERR_MALFORMED_BODY', /more than 1000 attributes/);
    assert.ok(Date.now() - started < 5000, `answered in ${Date.now() - started} ms`);
  });

  describe('a body larger than 64 KiB, parsed on a worker thread', () => {
    const items = Array.from({ length: 4000 }, (_, n) => `<item id="${n}"><name>caf\u00e9 &amp; ${n}</name></item>`).join('');
    const large = `<?xml version="1.0" encoding="iso-8859-1"?><items>${items}</items>`;

    it('gives the value the event loop would give, charset included', async () => {
      const bytes = Buffer.from(large, 'latin1');
      assert.ok(bytes.length > XML_WORKER_BYTES);
      let turns = 0;
      const ticker = setInterval(() => turns++, 0);
      const value = (await parse(bytes, 'application/xml').finally(() => clearInterval(ticker))) as { items: { item: Array<{ '@_id': string; name: string }> } };
      assert.ok(turns >= 1, 'the event loop ran timers while the worker parsed');
      assert.deepEqual(value, parseXmlBytes(bytes, undefined, DEFAULT_PARSE_LIMITS.maxDepth));
      assert.equal(value.items.item.length, 4000);
      assert.deepEqual(value.items.item[7], { '@_id': '7', name: 'caf\u00e9 & 7' });
    });

    it('refuses malformed and too deep bodies with the same code and detail', async () => {
      const malformed = `<items>${items}<broken></items>`;
      await rejectsWith(() => parse(malformed, 'application/xml'), 'ERR_MALFORMED_BODY', /^XML is malformed at line 1, column \d+: /);
      await rejectsWith(() => parse(`<items>${items}${nested(70)}</items>`, 'application/xml'), 'ERR_MALFORMED_BODY', /nested deeper than 64 levels at line 1, column \d+/);
      await rejectsWith(() => parse(`<items>${items}<__proto__/></items>`, 'application/xml'), 'ERR_MALFORMED_BODY', /<__proto__> is refused/);
    });

    it('parses several at once', async () => {
      const values = await Promise.all(Array.from({ length: 5 }, (_, n) => parse(`<items n="${n}">${items}</items>`, 'application/xml')));
      values.forEach((value, n) => assert.equal((value as { items: { '@_n': string } }).items['@_n'], String(n)));
    });
  });
});
