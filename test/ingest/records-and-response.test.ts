import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

describe('ingestion: records, pages and the response (SPEC §8, §12)', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  async function lastJob(listenerId: string) {
    const jobs = await h.services.store.readJobs(listenerId, 0, 1000);
    return jobs[jobs.length - 1]!;
  }

  it('splits 45 records into pages of 20, 20 and 5', async () => {
    const listener = await createListener(h, { records: { resourcePath: '$.items[*]' } });
    const items = Array.from({ length: 45 }, (_, i) => ({ id: i + 1 }));
    await h.request().post(hookPath(listener)).send({ items }).expect(204);
    const job = await lastJob(listener.id);
    assert.equal(job.recordCount, 45);
    assert.deepEqual(job.pages.map((p) => p.count), [20, 20, 5]);
    assert.deepEqual(job.pages.flatMap((p) => JSON.parse(p.recordsJson)), items, 'in order, nothing lost');
    assert.deepEqual(job.pages[2]!.traceKeys, ['41', '42', '43', '44', '45'], 'trace keys default to id');
  });

  it('splits an XML shipments document by resource path, and a single child is one record', async () => {
    const listener = await createListener(h, { records: { resourcePath: '$.shipments.shipment[*]' } });
    const many = '<shipments><shipment id="1"><to>Oslo</to></shipment><shipment id="2"><to>Rome</to></shipment></shipments>';
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/xml').send(many).expect(204);
    assert.deepEqual(JSON.parse((await lastJob(listener.id)).pages[0]!.recordsJson), [
      { '@_id': '1', to: 'Oslo' },
      { '@_id': '2', to: 'Rome' },
    ]);
    const one = '<shipments><shipment id="3"><to>Lima</to></shipment></shipments>';
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/xml').send(one).expect(204);
    const job = await lastJob(listener.id);
    assert.equal(job.recordCount, 1);
    assert.deepEqual(JSON.parse(job.pages[0]!.recordsJson), [{ '@_id': '3', to: 'Lima' }]);
  });

  it('never lets a page pass maxPageBytes, and sets a record larger than that aside', async () => {
    const listener = await createListener(h, { records: { maxPageBytes: 1024 } });
    const records = [{ id: 'a', pad: 'x'.repeat(400) }, { id: 'b', pad: 'x'.repeat(400) }, { id: 'big', pad: 'x'.repeat(2000) }, { id: 'c' }];
    await h.request().post(hookPath(listener)).send(records).expect(204);
    const job = await lastJob(listener.id);
    for (const page of job.pages) assert.ok(Buffer.byteLength(page.recordsJson) <= 1024);
    assert.deepEqual(job.pages.flatMap((p) => JSON.parse(p.recordsJson).map((r: any) => r.id)), ['a', 'b', 'c']);
    assert.deepEqual((job.meta.oversized as any[]).map((o) => o.traceKey), ['big']);
  });

  it('renders trace keys and data URIs from templates', async () => {
    const listener = await createListener(h, {
      records: { traceKeyTemplate: '{{join "_" region number}}', dataUriTemplate: 'https://shop.example/orders/{{number}}' },
    });
    await h.request().post(hookPath(listener)).send([{ region: 'eu', number: 7 }, { region: 'us', number: 8 }]).expect(204);
    const page = (await lastJob(listener.id)).pages[0]!;
    assert.deepEqual(page.traceKeys, ['eu_7', 'us_8']);
    assert.deepEqual(page.dataUris, ['https://shop.example/orders/7', 'https://shop.example/orders/8']);
  });

  it('drops records that fail records.filter and answers a request that keeps none as filtered', async () => {
    const listener = await createListener(h, { records: { filter: [{ path: '$.status', equals: 'paid' }] } });
    await h.request().post(hookPath(listener)).send([{ id: 1, status: 'paid' }, { id: 2, status: 'open' }]).expect(204);
    assert.deepEqual(JSON.parse((await lastJob(listener.id)).pages[0]!.recordsJson), [{ id: 1, status: 'paid' }]);
    const none = await h.request().post(hookPath(listener)).send([{ id: 3, status: 'open' }]);
    assert.equal(none.status, 204);
    assert.equal(none.headers['hookport-filtered'], 'true');
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 1);
  });

  it('answers a request the listener filter refuses with success and Hookport-Filtered, queuing nothing', async () => {
    const listener = await createListener(h, { filter: [{ path: '$.headers.x-event', equals: 'order.created' }] });
    const skipped = await h.request().post(hookPath(listener)).set('X-Event', 'order.deleted').send({ id: 1 });
    assert.equal(skipped.status, 204);
    assert.equal(skipped.headers['hookport-filtered'], 'true');
    const taken = await h.request().post(hookPath(listener)).set('X-Event', 'order.created').send({ id: 2 });
    assert.equal(taken.headers['hookport-filtered'], undefined);
    const jobs = await h.services.store.readJobs(listener.id, 0, 10);
    assert.deepEqual(jobs.map((j) => JSON.parse(j.pages[0]!.recordsJson)[0].id), [2]);
  });

  it('keeps the raw text as the single record with passThrough', async () => {
    const listener = await createListener(h, { parsing: { passThrough: true } });
    await h.request().post(hookPath(listener)).set('Content-Type', 'text/csv').send('a,b\n1,2').expect(204);
    assert.deepEqual(JSON.parse((await lastJob(listener.id)).pages[0]!.recordsJson), ['a,b\n1,2']);
  });

  it('adds the request headers to each record with includeHeaders, leaving credentials out', async () => {
    const listener = await createListener(h, { parsing: { includeHeaders: true } });
    await h.request().post(hookPath(listener)).set('X-Shop', 'acme').set('Authorization', 'Bearer hidden').send({ id: 1 }).expect(204);
    const [record] = JSON.parse((await lastJob(listener.id)).pages[0]!.recordsJson);
    assert.equal(record.id, 1);
    assert.ok(record.headers.some((h: any) => h.name === 'x-shop' && h.value === 'acme'));
    assert.ok(!record.headers.some((h: any) => h.name === 'authorization'));
  });

  it('answers 204 with no body by default', async () => {
    const listener = await createListener(h, {});
    const response = await h.request().post(hookPath(listener)).send({ id: 1 });
    assert.equal(response.status, 204);
    assert.equal(response.text, '');
  });

  it('renders the configured status, media type, headers and body template', async () => {
    const listener = await createListener(h, {
      records: { resourcePath: '$.items[*]' },
      response: {
        status: 200,
        mediaType: 'application/json',
        headers: { 'X-Count': '{{recordCount}}' },
        body: { received: '{{recordCount}}', keys: '{{join "," traceKeys}}', request: '{{requestId}}', shop: '{{headers.x-shop}}' },
      },
    });
    const response = await h.request().post(hookPath(listener)).set('X-Shop', 'acme').set('X-Request-Id', 'r-1').send({ items: [{ id: 'a' }, { id: 'b' }] });
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /application\/json/);
    assert.equal(response.headers['x-count'], '2');
    assert.deepEqual(response.body, { received: '2', keys: 'a,b', request: 'r-1', shop: 'acme' });
  });

  it('answers 2xx, not 500, when a response header template renders characters no header can carry', async () => {
    const listener = await createListener(h, { response: { status: 200, headers: { 'X-Order': '{{body.name}}' } } });
    const response = await h.request().post(hookPath(listener)).send({ name: '日本\r\nSet-Cookie: x=1' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['x-order'], '????Set-Cookie: x=1');
    assert.equal(response.headers['set-cookie'], undefined);
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 1);
  });

  it('keeps the last accepted body and headers as the sample, with credentials masked', async () => {
    const listener = await createListener(h, {});
    await h.request().post(hookPath(listener)).set('Authorization', 'Bearer sample-secret').send({ first: true }).expect(204);
    await h.request().post(hookPath(listener)).set('Authorization', 'Bearer sample-secret').set('X-Shop', 'acme').send({ second: true }).expect(204);
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{bad').expect(400);
    const sample = await h.api().get(`/listeners/${listener.id}/sample`);
    assert.equal(sample.status, 200);
    assert.deepEqual(sample.body.body, { second: true }, 'a rejected request does not replace the sample');
    assert.equal(sample.body.headers['x-shop'], 'acme');
    assert.equal(sample.body.headers.authorization, '****');
    assert.ok(!JSON.stringify(sample.body).includes('sample-secret'));
  });

  it('stores no query or body token of the token verifier in the job or the sample', async () => {
    const inQuery = await createListener(h, { verification: { type: 'token', tokens: ['query-token-5f1e2d'], location: { in: 'query', name: 'auth' } } });
    await h.request().post(`${hookPath(inQuery)}?auth=query-token-5f1e2d&shop=acme`).send({ id: 1 }).expect(204);
    const job = await lastJob(inQuery.id);
    assert.deepEqual(job.meta.query, { auth: '****', shop: 'acme' });
    const inBody = await createListener(h, { verification: { type: 'token', tokens: ['body-token-9a8b7c'], location: { in: 'body', path: 'myAuth.token' } } });
    await h.request().post(hookPath(inBody)).send({ myAuth: { token: 'body-token-9a8b7c' }, id: 2 }).expect(204);
    const sample = await h.api().get(`/listeners/${inBody.id}/sample`);
    assert.deepEqual(sample.body.body, { myAuth: { token: '****' }, id: 2 });
    assert.deepEqual(JSON.parse((await lastJob(inBody.id)).pages[0]!.recordsJson), [{ myAuth: { token: '****' }, id: 2 }]);
  });

  it('masks a query token in the body of a GET, whose query string is the body', async () => {
    const listener = await createListener(h, { verification: { type: 'token', tokens: ['get-token-4e5f6a'], location: { in: 'query', name: 'auth' } } });
    await h.request().get(`${hookPath(listener)}?auth=get-token-4e5f6a&order=5`).expect(204);
    assert.deepEqual(JSON.parse((await lastJob(listener.id)).pages[0]!.recordsJson), [{ auth: '****', order: '5' }]);
    const sample = await h.api().get(`/listeners/${listener.id}/sample`);
    assert.ok(!JSON.stringify(sample.body).includes('get-token-4e5f6a'));
  });

  it('verifies a body token on a pass-through listener and keeps it out of the stored text', async () => {
    const listener = await createListener(h, {
      parsing: { passThrough: true },
      verification: { type: 'token', tokens: ['pass-token-1a2b3c'], location: { in: 'body', path: 'auth.token' } },
    });
    const body = '{"auth":{"token":"pass-token-1a2b3c"},"id":9}';
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send(body).expect(204);
    assert.deepEqual(JSON.parse((await lastJob(listener.id)).pages[0]!.recordsJson), ['{"auth":{"token":"****"},"id":9}']);
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{"auth":{"token":"wrong"}}').expect(401);
  });

  it('answers 404 for the sample of a listener that has received nothing', async () => {
    const listener = await createListener(h, {});
    assert.equal((await h.api().get(`/listeners/${listener.id}/sample`)).status, 404);
  });
});
