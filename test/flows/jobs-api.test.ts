import assert from 'node:assert/strict';
import { ok, startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

describe('flow jobs API', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    // Refuses any page holding a record marked `bad`.
    dest = await startDestination((request, index) =>
      (request.json as any[]).some((r) => r.bad) ? { status: 422, body: 'refused' } : ok(request, index));
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  it('shows each job newest first with the status of each of its pages', async () => {
    const listener = await noneListener(h, { records: { pageSize: 2 } });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await sendHook(h, listener, [{ id: 'a' }, { id: 'b' }, { id: 'c', bad: true }]);
    await sendHook(h, listener, [{ id: 'd' }]);
    await drained(h, flow.id);
    await h.api().patch(`/flows/${flow.id}`, { enabled: false });
    await sendHook(h, listener, [{ id: 'e' }]);

    const response = await h.api().get(`/flows/${flow.id}/jobs`);
    assert.equal(response.status, 200);
    const [queued, delivered, failed] = response.body.items;
    assert.deepEqual([queued.seq, delivered.seq, failed.seq], [3, 2, 1]);
    assert.equal(queued.status, 'queued');
    assert.deepEqual(queued.pages.map((p: any) => p.status), ['queued']);
    assert.equal(delivered.status, 'delivered');
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errors, 1);
    assert.equal(failed.recordCount, 3);
    assert.deepEqual(
      failed.pages.map((p: any) => [p.index, p.recordCount, p.traceKeys, p.status, p.errors]),
      [[0, 2, ['a', 'b'], 'delivered', 0], [1, 1, ['c'], 'failed', 1]],
    );
    assert.equal(response.body.nextCursor, null);
  });

  it('pages with limit and nextCursor, and leaves out jobs from before the flow existed', async () => {
    const listener = await noneListener(h);
    const first = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false });
    for (let n = 0; n < 3; n++) await sendHook(h, listener, [{ id: n }]);
    const later = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false });
    await sendHook(h, listener, [{ id: 3 }]);

    const page1 = await h.api().get(`/flows/${first.id}/jobs?limit=2`);
    assert.deepEqual(page1.body.items.map((j: any) => j.seq), [4, 3]);
    const page2 = await h.api().get(`/flows/${first.id}/jobs?limit=2&after=${page1.body.nextCursor}`);
    assert.deepEqual(page2.body.items.map((j: any) => j.seq), [2, 1]);
    assert.equal(page2.body.nextCursor, null);
    const mine = await h.api().get(`/flows/${later.id}/jobs`);
    assert.deepEqual(mine.body.items.map((j: any) => j.seq), [4], 'a later flow never had the older jobs');
    assert.equal((await h.api().get(`/flows/${first.id}/jobs?after=garbage`)).status, 400);
    assert.equal((await h.api().get(`/flows/${'d'.repeat(32)}/jobs`)).status, 404);
  });

  it('purges jobs every flow has passed once they are older than jobs.retainCompletedHours, and keeps the rest', async () => {
    const listener = await noneListener(h);
    const fast = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await sendHook(h, listener, [{ id: 1 }]);
    await drained(h, fast.id);
    const slow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false });
    await sendHook(h, listener, [{ id: 2 }]);
    await drained(h, fast.id);

    assert.equal(await h.services.delivery.engine.purgeNow(), 0, 'nothing is old enough yet');
    // The clock alone, not the scheduler: the engine's own periodic purge must not run first.
    h.clock.advance(h.config.jobs.retainCompletedHours * 3_600_000 + 1000);
    assert.equal(await h.services.delivery.engine.purgeNow(), 1, 'only the job both flows passed');
    assert.deepEqual((await h.api().get(`/flows/${fast.id}/jobs`)).body.items.map((j: any) => j.seq), [2]);
    assert.deepEqual((await h.api().get(`/flows/${slow.id}/jobs`)).body.items.map((j: any) => j.status), ['queued']);
  });
});
