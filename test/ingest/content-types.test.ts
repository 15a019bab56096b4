import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

async function storedRecords(h: Harness, listenerId: string): Promise<unknown[]> {
  const jobs = await h.services.store.readJobs(listenerId, 0, 1000);
  const last = jobs[jobs.length - 1];
  assert.ok(last, 'a job was stored');
  return last.pages.flatMap((page) => JSON.parse(page.recordsJson));
}

describe('ingestion: content types (SPEC §7)', () => {
  let h: Harness;
  let listener: any;
  before(async () => {
    h = await createHarness();
    listener = await createListener(h, { name: 'types', limits: { capacity: 10_000, leakPerSecond: 10_000 } });
  });
  after(() => h.close());

  it('accepts JSON and stores the value', async () => {
    const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{"id":7,"name":"x"}');
    assert.equal(response.status, 204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ id: 7, name: 'x' }]);
  });

  it('accepts application/*+json', async () => {
    const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/vnd.api+json').send('{"data":{"id":"1"}}');
    assert.equal(response.status, 204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ data: { id: '1' } }]);
  });

  it('makes an array body one record per element', async () => {
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('[{"id":1},{"id":2},{"id":3}]').expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ id: 1 }, { id: 2 }, { id: 3 }]);
  });

  it('turns NDJSON into an array of values', async () => {
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/x-ndjson').send('{"id":1}\n{"id":2}\n').expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ id: 1 }, { id: 2 }]);
  });

  it('parses XML with attributes under @_ and tag case kept', async () => {
    const xml = '<?xml version="1.0"?><Order id="A-1"><Total currency="EUR">10.50</Total><Zip>01234</Zip></Order>';
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/xml').send(xml).expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [
      { Order: { '@_id': 'A-1', Total: { '#text': '10.50', '@_currency': 'EUR' }, Zip: '01234' } },
    ]);
  });

  it('parses forms: brackets nest and repeated keys become arrays', async () => {
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/x-www-form-urlencoded').send('a[b]=1&a[c]=2&tag=x&tag=y&name=J+Doe').expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ a: { b: '1', c: '2' }, tag: ['x', 'y'], name: 'J Doe' }]);
  });

  it('gives a multipart file as { name, mime, data } with data in base64', async () => {
    await h.request().post(hookPath(listener)).field('note', 'hello').attach('file', Buffer.from('col1,col2\n1,2\n'), { filename: 'report.csv', contentType: 'text/csv' }).expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [
      { note: 'hello', file: { name: 'report.csv', mime: 'text/csv', data: Buffer.from('col1,col2\n1,2\n').toString('base64') } },
    ]);
  });

  it('makes the query string the body of a GET', async () => {
    await h.request().get(`${hookPath(listener)}?event=ping&id=5`).expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ event: 'ping', id: '5' }]);
  });

  it('accepts PUT and PATCH', async () => {
    await h.request().put(hookPath(listener)).send({ via: 'put' }).expect(204);
    await h.request().patch(hookPath(listener)).send({ via: 'patch' }).expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ via: 'patch' }]);
  });

  it('honours the charset of the Content-Type', async () => {
    const latin1 = Buffer.from('{"city":"Z\u00fcrich"}', 'latin1');
    const base = await h.listen();
    const response = await fetch(`${base}${hookPath(listener)}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json; charset=iso-8859-1' }, body: latin1,
    });
    assert.equal(response.status, 204);
    assert.deepEqual(await storedRecords(h, listener.id), [{ city: 'Zürich' }]);
  });

  it('answers 415 for a media type it does not parse', async () => {
    const response = await h.request().post(hookPath(listener)).set('Content-Type', 'text/plain').send('hello');
    assert.equal(response.status, 415);
    assert.equal(response.body.title, 'Unsupported media type');
    assert.match(response.headers['content-type'], /application\/problem\+json/);
  });

  it('answers 400 with line and column for malformed JSON', async () => {
    const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{\n  "a": 1,\n  "b": }');
    assert.equal(response.status, 400);
    assert.equal(response.body.title, 'Malformed body');
    assert.match(response.body.detail, /line 3, column \d+/);
  });

  it('answers 400 for malformed XML with where it broke', async () => {
    const response = await h.request().post(hookPath(listener)).set('Content-Type', 'text/xml').send('<a><b></a>');
    assert.equal(response.status, 400);
    assert.match(response.body.detail, /line 1/);
  });

  it('answers a billion-laughs XML document with 400 quickly and without expanding it', async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1 === 0 ? '' : i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]><lolz>&lol9;</lolz>`;
    const before = process.memoryUsage().heapUsed;
    const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/xml').send(xml);
    const grown = process.memoryUsage().heapUsed - before;
    if (response.status === 204) {
      const stored = JSON.stringify(await storedRecords(h, listener.id));
      assert.ok(stored.length < 10_000, 'entities were not expanded');
    } else {
      assert.equal(response.status, 400);
    }
    assert.ok(grown < 50 * 1024 * 1024, `heap grew by ${grown} bytes`);
  });

  it('answers 400 naming the place for JSON nested deeper than 64 levels, and accepts 64', async () => {
    const nested = (depth: number) => '['.repeat(depth) + '1' + ']'.repeat(depth);
    assert.equal((await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send(`{"a":${nested(63)}}`)).status, 204);
    const deep = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send(nested(10_000));
    assert.equal(deep.status, 400);
    assert.match(deep.body.detail, /nested deeper than 64 levels at line 1, column 65/);
    const ndjson = await h.request().post(hookPath(listener)).set('Content-Type', 'application/x-ndjson').send(`{"a":1}\n${nested(100)}\n`);
    assert.equal(ndjson.status, 400);
    assert.match(ndjson.body.detail, /NDJSON line 2 is nested deeper/);
  });

  it('refuses a JSON body that tries to set __proto__', async () => {
    const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{"__proto__":{"admin":true}}');
    assert.equal(response.status, 400);
    assert.equal(({} as any).admin, undefined);
  });

  it('answers a POST with no body and no Content-Type with one empty record', async () => {
    await h.request().post(hookPath(listener)).expect(204);
    assert.deepEqual(await storedRecords(h, listener.id), [{}]);
  });
});
