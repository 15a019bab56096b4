import assert from 'node:assert/strict';
import { ok, startDestination, type Destination, type Replier } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, until, type DeliveryHarness } from './delivery-setup';
import { CHECK_EVERY_PAGES } from '../../lib/flows/flow-worker';

/** 400 for records marked `bad`, 200 otherwise. */
const refuseBad: Replier = (request, index) => {
  const records = Array.isArray(request.json) ? request.json : [request.json];
  return records.some((r: any) => r?.bad) ? { status: 400, body: 'no' } : ok(request, index);
};

describe('flow errors API', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination(refuseBad);
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  /** A flow whose destination refused the given ids' jobs (in that order); resolves when drained. */
  async function flowWithErrors(ids: number[], listenerSettings: Record<string, unknown> = {}) {
    const listener = await noneListener(h, listenerSettings);
    const imp = await createImport(h, { url: dest.url });
    const flow = await createFlow(h, listener.id, [imp.id]);
    for (const id of ids) await sendHook(h, listener, { id, bad: true });
    await drained(h, flow.id);
    const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items as any[];
    return { listener, imp, flow, errors };
  }

  const resolvedIds = async (flowId: string) =>
    ((await h.api().get(`/flows/${flowId}/errors?status=resolved`)).body.items as any[]).map((e) => e.id);

  it('resends one error with its first idempotency key and marks it resolved when it goes through', async () => {
    const { flow, errors } = await flowWithErrors([1]);
    const [error] = errors;
    dest.setReply(ok);
    const retried = await h.api().post(`/flows/${flow.id}/errors/${error.id}/retry`);
    assert.equal(retried.status, 202);
    assert.equal(retried.body.status, 'retrying');
    await until(h, async () => (await resolvedIds(flow.id)).includes(error.id));
    assert.equal(dest.received.length, 2);
    assert.deepEqual(dest.received[1]!.json, [{ id: 1, bad: true }]);
    assert.equal(dest.received[1]!.headers['idempotency-key'], dest.received[0]!.headers['idempotency-key']);
    assert.deepEqual((await h.api().get(`/flows/${flow.id}/errors`)).body.items, [], 'no open error left');
    const shown = (await h.api().get(`/flows/${flow.id}/errors/${error.id}`)).body;
    assert.equal(shown.retryCount, 1);
    assert.ok(shown.resolvedAt);
  });

  it('sends an error resubmitted through another instance (no wake-up here) within CHECK_EVERY_PAGES pages while the flow is busy', async () => {
    const { listener, flow, errors } = await flowWithErrors([1], { records: { pageSize: 1 } });
    await h.api().patch(`/flows/${flow.id}`, { enabled: false });
    await sendHook(h, listener, Array.from({ length: 2 * CHECK_EVERY_PAGES }, (_, n) => ({ id: 100 + n })));
    let resubmittedAt = -1;
    dest.setReply((request, index) => {
      if (index === 10) {
        resubmittedAt = index;
        // Straight to the store, as another instance's API would: this instance's worker is not woken.
        void h.services.store.delivery.requestRetry(errors[0].id, new Date().toISOString());
      }
      return ok(request, index);
    });
    await h.api().patch(`/flows/${flow.id}`, { enabled: true });
    await until(h, async () => (await resolvedIds(flow.id)).includes(errors[0].id));
    await drained(h, flow.id);
    const retriedAt = dest.received.findIndex((r, i) => i > 0 && (r.json as Array<{ bad?: boolean }>)[0]?.bad);
    assert.ok(resubmittedAt > 0 && retriedAt > resubmittedAt, `resubmitted at request ${resubmittedAt}, resent at ${retriedAt}`);
    assert.ok(retriedAt - resubmittedAt <= CHECK_EVERY_PAGES + 1, `resent ${retriedAt - resubmittedAt} requests after it was resubmitted`);
    assert.equal(dest.received.length, 2 + 2 * CHECK_EVERY_PAGES, 'every page once, and the retry');
  });

  it('reopens an error that fails again, with the new answer and a retry count', async () => {
    const { flow, errors } = await flowWithErrors([1]);
    dest.setReply(() => ({ status: 409, body: 'still no' }));
    await h.api().post(`/flows/${flow.id}/errors/${errors[0].id}/retry`);
    await until(h, async () => (await h.api().get(`/flows/${flow.id}/errors/${errors[0].id}`)).body.retryCount === 1);
    const shown = (await h.api().get(`/flows/${flow.id}/errors/${errors[0].id}`)).body;
    assert.equal(shown.status, 'open');
    assert.equal(shown.response.status, 409);
    assert.equal(shown.response.body, 'still no');
  });

  it('resends every open error in queue order with the bulk retry, ahead of jobs still queued', async () => {
    const { listener, flow, errors } = await flowWithErrors([1, 2, 3]);
    assert.equal(errors.length, 3);
    await h.api().patch(`/flows/${flow.id}`, { enabled: false });
    await sendHook(h, listener, { id: 4 });
    dest.setReply(ok);
    const bulk = await h.api().post(`/flows/${flow.id}/errors/retry`, {});
    assert.equal(bulk.status, 202);
    assert.deepEqual(bulk.body, { retried: errors.map((e) => e.id), skipped: [] });
    assert.equal(dest.received.length, 3, 'a disabled flow keeps its resubmitted errors until enabled');
    await h.api().patch(`/flows/${flow.id}`, { enabled: true });
    await dest.waitFor(7);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.slice(3).map((r) => r.json), [[{ id: 1, bad: true }], [{ id: 2, bad: true }], [{ id: 3, bad: true }], [{ id: 4 }]]);
    assert.equal((await resolvedIds(flow.id)).length, 3);
  });

  it('resends only the listed errors, and names the ones it skipped', async () => {
    const { flow, errors } = await flowWithErrors([1, 2]);
    dest.setReply(ok);
    const bulk = await h.api().post(`/flows/${flow.id}/errors/retry`, { ids: [errors[1].id, 'a'.repeat(32)] });
    assert.deepEqual(bulk.body.retried, [errors[1].id]);
    assert.deepEqual(bulk.body.skipped, [{ id: 'a'.repeat(32), reason: 'no such error in this flow' }]);
    await until(h, async () => (await resolvedIds(flow.id)).length === 1);
    assert.deepEqual(dest.received[2]!.json, [{ id: 2, bad: true }]);
    const open = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.deepEqual(open.map((e: any) => e.id), [errors[0].id]);
  });

  it('resends a resolved error, refuses one already retrying (409) or of no such flow (404)', async () => {
    const { flow, errors } = await flowWithErrors([1]);
    await h.api().patch(`/flows/${flow.id}`, { enabled: false });
    const resolved = await h.api().post(`/flows/${flow.id}/errors/${errors[0].id}/resolve`);
    assert.equal(resolved.status, 200);
    assert.equal(resolved.body.status, 'resolved');
    const retried = await h.api().post(`/flows/${flow.id}/errors/${errors[0].id}/retry`);
    assert.equal(retried.status, 202);
    assert.equal(retried.body.status, 'retrying');
    assert.equal(retried.body.resolvedAt, null);
    const again = await h.api().post(`/flows/${flow.id}/errors/${errors[0].id}/retry`);
    assert.equal(again.status, 409);
    assert.equal(again.headers['content-type'], 'application/problem+json');
    assert.equal((await h.api().post(`/flows/${flow.id}/errors/${'b'.repeat(32)}/retry`)).status, 404);
    assert.equal((await h.api().get(`/flows/${'c'.repeat(32)}/errors`)).status, 404);
  });

  it('lets support read errors but not resend them', async () => {
    const { flow, errors } = await flowWithErrors([1]);
    await h.keyFor('support');
    assert.equal((await h.api('support').get(`/flows/${flow.id}/errors`)).status, 200);
    assert.equal((await h.api('support').get(`/flows/${flow.id}/jobs`)).status, 200);
    assert.equal((await h.api('support').post(`/flows/${flow.id}/errors/${errors[0].id}/retry`)).status, 403);
    assert.equal((await h.api('support').post(`/flows/${flow.id}/errors/retry`, {})).status, 403);
    assert.equal((await h.api('support').post(`/flows/${flow.id}/test`)).status, 403);
  });

  it('keeps no records with an error when the listener sets doNotStoreRetryData, and resends from the kept job', async () => {
    const { flow, errors } = await flowWithErrors([1], { doNotStoreRetryData: true });
    const shown = (await h.api().get(`/flows/${flow.id}/errors/${errors[0].id}`)).body;
    assert.equal(shown.hasRetryData, false);
    assert.equal(shown.records, null);
    dest.setReply(ok);
    assert.equal((await h.api().post(`/flows/${flow.id}/errors/${errors[0].id}/retry`)).status, 202);
    await until(h, async () => (await resolvedIds(flow.id)).length === 1);
    assert.deepEqual(dest.received[1]!.json, [{ id: 1, bad: true }]);
  });

  it('shows the records kept for a retry, pages the list with limit and nextCursor, and names a bad status filter', async () => {
    const { flow, errors } = await flowWithErrors([1, 2, 3]);
    const shown = (await h.api().get(`/flows/${flow.id}/errors/${errors[0].id}`)).body;
    assert.deepEqual(shown.records, [{ id: 1, bad: true }]);
    const first = await h.api().get(`/flows/${flow.id}/errors?limit=2`);
    assert.equal(first.body.items.length, 2);
    const rest = await h.api().get(`/flows/${flow.id}/errors?limit=2&after=${first.body.nextCursor}`);
    assert.deepEqual(rest.body.items.map((e: any) => e.id), [errors[2].id]);
    assert.equal(rest.body.nextCursor, null);
    const bad = await h.api().get(`/flows/${flow.id}/errors?status=broken`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].path, '/query/status');
  });
});
