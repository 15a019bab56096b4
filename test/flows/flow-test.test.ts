import assert from 'node:assert/strict';
import { badRequest, startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

describe('flow test (POST /flows/{id}/test)', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination((request) => ({ status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ got: request.json }) }));
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  it('runs every import once on the listener’s mockOutput and returns each answer, touching no queue', async () => {
    const listener = await noneListener(h, { mockOutput: [{ id: 'm1' }, { id: 'm2' }] });
    const perRecord = await createImport(h, { name: 'per record', url: `${dest.url}/r`, mode: 'record' });
    const perPage = await createImport(h, { name: 'per page', url: `${dest.url}/p` });
    const flow = await createFlow(h, listener.id, [perRecord.id, perPage.id], { enabled: false });

    const response = await h.api().post(`/flows/${flow.id}/test`);
    assert.equal(response.status, 200);
    assert.equal(response.body.source, 'mockOutput');
    assert.equal(response.body.recordCount, 2);
    const [first, second] = response.body.imports;
    assert.deepEqual([first.name, first.status, first.requests.length], ['per record', 'ok', 2]);
    assert.deepEqual(first.requests.map((r: any) => [r.record, r.response.status, r.response.json.got]), [[0, 201, { id: 'm1' }], [1, 201, { id: 'm2' }]]);
    assert.deepEqual([second.name, second.status], ['per page', 'ok']);
    assert.deepEqual(second.requests[0].response.json.got, [{ id: 'm1' }, { id: 'm2' }]);
    assert.ok(dest.received.every((r) => /^test-/.test(String(r.headers['idempotency-key']))));

    assert.equal(await h.services.store.lastSeq(listener.id), 0, 'no job was written');
    assert.deepEqual(await h.services.store.getFlowCursor(flow.id), { seq: 0, page: 0 });
    assert.deepEqual((await h.api().get(`/flows/${flow.id}/errors?status=all`)).body.items, []);
  });

  it('splits the listener’s sample into records when there is no mockOutput', async () => {
    const listener = await noneListener(h, { records: { resourcePath: '$.orders[*]' } });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false });
    assert.equal((await sendHook(h, listener, { orders: [{ id: 's1' }, { id: 's2' }] })).status, 204);
    const depth = (await h.api().get(`/flows/${flow.id}`)).body.queueDepth;

    const response = await h.api().post(`/flows/${flow.id}/test`);
    assert.equal(response.status, 200);
    assert.equal(response.body.source, 'sample');
    assert.deepEqual(response.body.imports[0].requests[0].response.json.got, [{ id: 's1' }, { id: 's2' }]);
    assert.equal((await h.api().get(`/flows/${flow.id}`)).body.queueDepth, depth, 'the queue is as it was');
  });

  it('reports a failing import and skips the imports after it', async () => {
    const failing = await startDestination(badRequest);
    try {
      const listener = await noneListener(h, { mockOutput: [{ id: 1 }] });
      const bad = await createImport(h, { url: failing.url });
      const after = await createImport(h, { url: dest.url });
      const flow = await createFlow(h, listener.id, [bad.id, after.id]);
      const response = await h.api().post(`/flows/${flow.id}/test`);
      assert.deepEqual(response.body.imports.map((i: any) => i.status), ['failed', 'skipped']);
      assert.equal(response.body.imports[0].requests[0].response.status, 400);
      assert.equal(failing.received.length, 1, 'one try, no retry');
      assert.equal(dest.received.length, 0);
    } finally {
      await failing.close();
    }
  });

  it('answers 422 when the listener has neither mockOutput nor a sample', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    const response = await h.api().post(`/flows/${flow.id}/test`);
    assert.equal(response.status, 422);
    assert.match(response.body.detail, /mockOutput/);
  });
});
