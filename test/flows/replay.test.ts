import assert from 'node:assert/strict';
import { badRequest, ok, startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, until, type DeliveryHarness } from './delivery-setup';

describe('replay', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination();
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  async function flowTo(listener?: { id: string }) {
    const source = listener ?? (await noneListener(h));
    const imp = await createImport(h, { url: dest.url });
    const flow = await createFlow(h, source.id, [imp.id]);
    return { listener: source, imp, flow };
  }

  const jobsOf = async (flowId: string) => (await h.api().get(`/flows/${flowId}/jobs`)).body.items as any[];
  const replayDone = (flowId: string) => until(h, async () => (await h.api().get(`/flows/${flowId}`)).body.replaysQueued === 0);
  const ids = () => dest.received.map((r) => `${(r.json as any[])[0].id}${r.headers['hookport-replay'] === 'true' ? 'R' : ''}`);

  it('delivers one job again, marked as a replay, with the idempotency key of its first delivery', async () => {
    const { listener, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await drained(h, flow.id);
    const [job] = await jobsOf(flow.id);
    const replayed = await h.api().post(`/flows/${flow.id}/replay`, { jobId: job.id });
    assert.equal(replayed.status, 202);
    assert.deepEqual(replayed.body, { flowId: flow.id, replayed: [{ jobId: job.id, seq: 1, receivedAt: job.receivedAt }] });
    await dest.waitFor(2);
    await replayDone(flow.id);
    const [original, again] = dest.received;
    assert.equal(original!.headers['hookport-replay'], undefined, 'a first delivery is not marked');
    assert.equal(again!.headers['hookport-replay'], 'true');
    assert.equal(again!.headers['idempotency-key'], original!.headers['idempotency-key']);
    assert.deepEqual(again!.json, [{ id: 1 }]);
  });

  it('replays the jobs of a time range in arrival order, and no others', async () => {
    const { listener, flow } = await flowTo();
    const start = h.clock.now();
    for (let id = 1; id <= 4; id++) {
      await sendHook(h, listener, { id });
      await drained(h, flow.id);
      h.clock.advanceSeconds(60);
    }
    const from = new Date(start + 30_000).toISOString();
    const to = new Date(start + 150_000).toISOString();
    const replayed = await h.api().post(`/flows/${flow.id}/replay`, { from, to });
    assert.equal(replayed.status, 202);
    assert.deepEqual(replayed.body.replayed.map((j: any) => j.seq), [2, 3], 'received at +60 s and +120 s');
    await dest.waitFor(6);
    await replayDone(flow.id);
    assert.deepEqual(ids(), ['1', '2', '3', '4', '2R', '3R']);
  });

  it('queues a replay behind the jobs already waiting, and ahead of jobs that arrive after it', async () => {
    const { listener, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await drained(h, flow.id);
    const [first] = await jobsOf(flow.id);
    await h.api().patch(`/flows/${flow.id}`, { enabled: false });
    await sendHook(h, listener, { id: 2 });
    await sendHook(h, listener, { id: 3 });
    assert.equal((await h.api().post(`/flows/${flow.id}/replay`, { jobId: first.id })).status, 202);
    await sendHook(h, listener, { id: 4 });
    assert.equal((await h.api().get(`/flows/${flow.id}`)).body.replaysQueued, 1);
    await h.api().patch(`/flows/${flow.id}`, { enabled: true });
    await dest.waitFor(5);
    await drained(h, flow.id);
    assert.deepEqual(ids(), ['1', '2', '3', '1R', '4']);
  });

  it('waits behind a page waiting for its retry', async () => {
    const { listener, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await drained(h, flow.id);
    const [first] = await jobsOf(flow.id);
    dest.setReply((request, index) => (index === 1 ? { status: 503, body: 'busy' } : ok(request, index)));
    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(2);
    await h.scheduler.next('backoff');
    assert.equal((await h.api().post(`/flows/${flow.id}/replay`, { jobId: first.id })).status, 202);
    await sendHook(h, listener, { id: 3 });
    assert.equal(dest.received.length, 2, 'nothing goes around the waiting page');
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(5);
    await drained(h, flow.id);
    assert.deepEqual(ids(), ['1', '2', '2', '1R', '3']);
  });

  it('goes to the chosen flow only, also from another listener', async () => {
    const { listener, flow } = await flowTo();
    const sibling = await flowTo(listener);
    const elsewhere = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await drained(h, flow.id);
    await drained(h, sibling.flow.id);
    const [job] = await jobsOf(flow.id);
    assert.equal((await h.api().post(`/flows/${elsewhere.flow.id}/replay`, { jobId: job.id })).status, 202);
    await dest.waitFor(3);
    await replayDone(elsewhere.flow.id);
    assert.deepEqual(ids(), ['1', '1', '1R']);
  });

  it('records a replay that fails as an error of its own, beside the original', async () => {
    dest.setReply(badRequest);
    const { listener, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await drained(h, flow.id);
    const [original] = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    await h.api().post(`/flows/${flow.id}/replay`, { jobId: original.jobId });
    await replayDone(flow.id);
    const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items as any[];
    assert.equal(errors.length, 2);
    assert.notEqual(errors[1].id, errors[0].id);
    dest.setReply(ok);
  });

  it('says what is wrong with a replay request', async () => {
    const { flow } = await flowTo();
    const none = await h.api().post(`/flows/${flow.id}/replay`, {});
    assert.equal(none.status, 400);
    assert.match(JSON.stringify(none.body), /\/from/);
    const backwards = await h.api().post(`/flows/${flow.id}/replay`, { from: '2026-11-01T12:00:00Z', to: '2026-11-01T11:00:00Z' });
    assert.equal(backwards.status, 400);
    assert.equal((await h.api().post(`/flows/${flow.id}/replay`, { jobId: 'x'.repeat(32) })).status, 404);
    assert.equal((await h.api().post(`/flows/${'y'.repeat(32)}/replay`, { jobId: 'x'.repeat(32) })).status, 404);
    await h.keyFor('support');
    assert.equal((await h.api('support').post(`/flows/${flow.id}/replay`, { jobId: 'x'.repeat(32) })).status, 403);
  });
});
