import assert from 'node:assert/strict';
import { startDestination, type Destination, type Replier } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

/** 400 for records marked `bad`, 200 otherwise. */
const refuseBad: Replier = (request) => {
  const records = Array.isArray(request.json) ? request.json : [request.json];
  return records.some((r: any) => r?.bad)
    ? { status: 400, headers: { 'Content-Type': 'application/json' }, body: '{"error":"bad record"}' }
    : { status: 200, body: 'ok' };
};

describe('delivery engine', function () {
  // On the MongoDB pass (npm run test:mongo-http) every append and cursor step is a FerretDB round
  // trip of 1-7 ms on this 2-core machine: 1,000 jobs take 20-60 s there, so that pass gets more time.
  this.timeout(process.env.HOOKPORT_TEST_STORE === 'mongodb' ? 240_000 : 60_000);
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness({ overrides: { store: { sqliteSynchronous: 'NORMAL' } } });
    dest = await startDestination();
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  it('delivers 1,000 jobs to one flow in arrival order', async () => {
    const listener = await noneListener(h, { limits: { capacity: 5000, leakPerSecond: 300 } });
    const imp = await createImport(h, { url: `${dest.url}/orders` });
    const flow = await createFlow(h, listener.id, [imp.id]);
    const base = await h.listen();
    for (let n = 0; n < 1000; n++) {
      const response = await fetch(`${base}/hooks/${listener.id}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ n }) });
      assert.equal(response.status, 204);
    }
    await dest.waitFor(1000);
    await drained(h, flow.id);
    assert.equal(dest.received.length, 1000, 'each page exactly once when nothing failed');
    assert.deepEqual(dest.received.map((r) => r.json), Array.from({ length: 1000 }, (_, n) => [{ n }]));
    assert.ok(dest.received.every((r) => r.path === '/orders' && r.method === 'POST'));
  });

  it('gives every flow of a listener its own copy of every job (fan-out)', async () => {
    const other = await startDestination();
    try {
      const listener = await noneListener(h);
      const first = await createFlow(h, listener.id, [(await createImport(h, { url: `${dest.url}/a` })).id]);
      const second = await createFlow(h, listener.id, [(await createImport(h, { url: `${other.url}/b` })).id]);
      for (let n = 0; n < 5; n++) assert.equal((await sendHook(h, listener, { n })).status, 204);
      await Promise.all([dest.waitFor(5), other.waitFor(5), drained(h, first.id), drained(h, second.id)]);
      const expected = Array.from({ length: 5 }, (_, n) => [{ n }]);
      assert.deepEqual(dest.received.map((r) => r.json), expected);
      assert.deepEqual(other.received.map((r) => r.json), expected);
      assert.notEqual(dest.received[0]!.headers['idempotency-key'], other.received[0]!.headers['idempotency-key'], 'each flow is its own delivery');
    } finally {
      await other.close();
    }
  });

  it('keeps a disabled flow’s jobs queued and drains them in arrival order once it is enabled', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false });
    for (let n = 0; n < 6; n++) assert.equal((await sendHook(h, listener, { n })).status, 204);
    const waiting = await h.api().get(`/flows/${flow.id}`);
    assert.equal(waiting.body.queueDepth, 6);
    const jobs = await h.api().get(`/flows/${flow.id}/jobs`);
    assert.deepEqual(jobs.body.items.map((j: any) => j.status), Array(6).fill('queued'));
    assert.equal(dest.received.length, 0);

    assert.equal((await h.api().patch(`/flows/${flow.id}`, { enabled: true })).status, 200);
    await dest.waitFor(6);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => r.json), Array.from({ length: 6 }, (_, n) => [{ n }]));
  });

  it('answers 503 "Queue is full." with Retry-After when a flow’s queue is full, and writes nothing of that request', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false, maxQueuedJobs: 2 });
    assert.equal((await sendHook(h, listener, { n: 0 })).status, 204);
    assert.equal((await sendHook(h, listener, { n: 1 })).status, 204);
    const refused = await sendHook(h, listener, { n: 2 });
    assert.equal(refused.status, 503);
    assert.equal(refused.body.title, 'Queue is full.');
    assert.match(refused.headers['retry-after'], /^\d+$/);
    assert.equal(await h.services.store.lastSeq(listener.id), 2, 'no job was written for the refused request');

    await h.api().patch(`/flows/${flow.id}`, { enabled: true });
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => r.json), [[{ n: 0 }], [{ n: 1 }]]);
    assert.equal((await sendHook(h, listener, { n: 3 })).status, 204, 'accepted again once the queue drained');
  });

  it('records a page the destination refuses (400) as an error at once and moves on to the next job', async () => {
    dest.setReply(refuseBad);
    const listener = await noneListener(h, { records: { traceKeyTemplate: 'order-{{id}}', dataUriTemplate: 'https://shop.example/orders/{{id}}' } });
    const imp = await createImport(h, { url: dest.url });
    const flow = await createFlow(h, listener.id, [imp.id]);
    await sendHook(h, listener, { id: 1, bad: true });
    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(2);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => r.json), [[{ id: 1, bad: true }], [{ id: 2 }]], 'one request each: a 400 is not retried');
    const errors = await h.api().get(`/flows/${flow.id}/errors`);
    assert.equal(errors.status, 200);
    assert.equal(errors.body.items.length, 1);
    const [error] = errors.body.items;
    assert.equal(error.kind, 'http');
    assert.equal(error.importId, imp.id);
    assert.equal(error.attempts, 1);
    assert.deepEqual(error.traceKeys, ['order-1']);
    assert.deepEqual(error.dataUris, ['https://shop.example/orders/1']);
    assert.equal(error.response.status, 400);
    assert.deepEqual(error.response.json, { error: 'bad record' });
    assert.equal(error.hasRetryData, true);
    assert.equal(error.status, 'open');
  });

  it('sends one request per record in record mode and leaves a refused record out of the imports after it', async () => {
    const second = await startDestination();
    try {
      dest.setReply(refuseBad);
      const listener = await noneListener(h);
      const perRecord = await createImport(h, { url: `${dest.url}/one`, mode: 'record' });
      const perPage = await createImport(h, { url: `${second.url}/all` });
      const flow = await createFlow(h, listener.id, [perRecord.id, perPage.id]);
      await sendHook(h, listener, [{ id: 'a' }, { id: 'b', bad: true }, { id: 'c' }]);
      await second.waitFor(1);
      await drained(h, flow.id);
      assert.deepEqual(dest.received.map((r) => r.json), [{ id: 'a' }, { id: 'b', bad: true }, { id: 'c' }]);
      assert.equal(new Set(dest.received.map((r) => r.headers['idempotency-key'])).size, 3, 'each record has its own key');
      assert.deepEqual(second.received.map((r) => r.json), [[{ id: 'a' }, { id: 'c' }]]);
      const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
      assert.deepEqual(errors.map((e: any) => [e.importIndex, e.recordIndexes, e.traceKeys]), [[0, [1], ['b']]]);
    } finally {
      await second.close();
    }
  });

  it('makes a record too large for any page an error for that record and delivers the others', async () => {
    const listener = await noneListener(h, { records: { maxPageBytes: 1024 } });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await sendHook(h, listener, [{ id: 'small' }, { id: 'big', text: 'x'.repeat(2000) }, { id: 'tiny' }]);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.flatMap((r) => r.json as unknown[]), [{ id: 'small' }, { id: 'tiny' }]);
    const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal(errors.length, 1);
    assert.equal(errors[0].kind, 'oversized');
    assert.deepEqual(errors[0].traceKeys, ['big']);
    assert.equal(errors[0].pageIndex, null);
    const retry = await h.api().post(`/flows/${flow.id}/errors/${errors[0].id}/retry`);
    assert.equal(retry.status, 409, 'the record was never stored, so there is nothing to resend');
  });

  it('renders the url and body templates over records, page, job and listener, with private headers on the wire', async () => {
    const listener = await noneListener(h, { name: 'Shop' });
    const imp = await createImport(h, {
      url: `${dest.url}/shops/{{listener.name}}/batches/{{job.seq}}`,
      headers: [{ name: 'Authorization', value: 'Bearer erp-secret-123456', private: true }],
      bodyTemplate: '{"count": {{page.count}}, "ids": {{json (join "," records.[0].id records.[1].id)}} }',
    });
    const flow = await createFlow(h, listener.id, [imp.id]);
    await sendHook(h, listener, [{ id: 7 }, { id: 8 }]);
    await drained(h, flow.id);
    const [request] = dest.received;
    assert.equal(request!.path, '/shops/Shop/batches/1');
    assert.deepEqual(request!.json, { count: 2, ids: '7,8' });
    assert.equal(request!.headers.authorization, 'Bearer erp-secret-123456');
    assert.equal(request!.headers['content-type'], 'application/json');
    const shown = await h.api().get(`/imports/${imp.id}`);
    assert.equal(shown.body.headers[0].value, '****3456', 'the API still masks the value it sends');
  });

  it('wakes an idle flow the moment a job is appended, without waiting for the poll', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await h.scheduler.next('poll');
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    await drained(h, flow.id);
    assert.equal(h.clock.now(), Date.UTC(2026, 10, 1, 12, 0, 0), 'no time passed, so no poll sleep can have ended');
  });
});
