import assert from 'node:assert/strict';
import { ok, startDestination, type Destination, type Received, type Replier, type Reply } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, until, type DeliveryHarness } from './delivery-setup';

interface Order {
  order: { id: number };
  n: number;
  bad?: boolean;
}

/** Answers after a few milliseconds, varied by record, so pages of different keys overtake each other. */
const slowly: Replier = (_request, index) => ({ status: 200, body: 'ok', delayMs: 2 + ((index * 7) % 11) });

const recordOf = (request: Received) => (request.json as Order[])[0]!;

/** The `n` of each record of `key` in the order the destination received them (first deliveries only). */
function orderOf(received: readonly Received[], key: number): number[] {
  const seen = new Set<number>();
  const ns: number[] = [];
  for (const record of received.map(recordOf)) {
    if (record.order.id !== key || seen.has(record.n)) continue;
    seen.add(record.n);
    ns.push(record.n);
  }
  return ns;
}

/** Pairs of requests of one key that the destination held at the same time. */
function sameKeyOverlaps(received: readonly Received[]): number {
  let overlaps = 0;
  for (const [i, a] of received.entries()) {
    for (const b of received.slice(i + 1)) {
      if (recordOf(a).order.id === recordOf(b).order.id && b.arrived < (a.answered ?? Infinity)) overlaps++;
    }
  }
  return overlaps;
}

describe('parallel delivery (delivery.concurrency, orderingKey)', function () {
  this.timeout(process.env.HOOKPORT_TEST_STORE === 'mongodb' ? 240_000 : 60_000);
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness({ overrides: { store: { sqliteSynchronous: 'NORMAL' } } });
    dest = await startDestination(slowly);
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  async function queue(listener: { id: string }, count: number, keys: number, bad: (n: number) => boolean = () => false, from = 0): Promise<void> {
    for (let n = from; n < from + count; n++) {
      const record: Order = { order: { id: n % keys }, n, ...(bad(n) ? { bad: true } : {}) };
      assert.equal((await sendHook(h, listener, record)).status, 204);
    }
  }

  it('delivers the pages of one key in arrival order, one at a time, and different keys in parallel', async () => {
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url });
    const flow = await createFlow(h, listener.id, [imp.id], { enabled: false, delivery: { concurrency: 8, orderingKey: '{{record.order.id}}' } });
    assert.deepEqual(flow.delivery, { concurrency: 8, orderingKey: '{{record.order.id}}' });
    await queue(listener, 200, 10);
    await h.api().patch(`/flows/${flow.id}`, { enabled: true }).expect(200);
    await dest.waitFor(200);
    await drained(h, flow.id);

    assert.equal(dest.received.length, 200, 'each page once when nothing failed');
    for (let key = 0; key < 10; key++) {
      assert.deepEqual(orderOf(dest.received, key), Array.from({ length: 20 }, (_, i) => key + 10 * i), `key ${key} in arrival order`);
    }
    assert.equal(sameKeyOverlaps(dest.received), 0, 'never two pages of one key at once');
    assert.ok(dest.maxInFlight() > 1, `pages of different keys were in flight together (at most ${dest.maxInFlight()})`);
    assert.ok(dest.maxInFlight() <= 8, `never more than the concurrency (${dest.maxInFlight()})`);
    const arrival = dest.received.map((r) => recordOf(r).n);
    assert.notDeepEqual(arrival, [...arrival].sort((a, b) => a - b), 'pages of different keys overtook each other');
  });

  it('sends pages without an orderingKey in parallel, each once', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false, delivery: { concurrency: 4 } });
    assert.deepEqual(flow.delivery, { concurrency: 4, orderingKey: null });
    await queue(listener, 40, 40);
    await h.api().patch(`/flows/${flow.id}`, { enabled: true }).expect(200);
    await dest.waitFor(40);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => recordOf(r).n).sort((a, b) => a - b), Array.from({ length: 40 }, (_, n) => n));
    assert.ok(dest.maxInFlight() > 1 && dest.maxInFlight() <= 4, `in flight together: ${dest.maxInFlight()}`);
  });

  it('records a refused page as an error and delivers the later pages of its key; the error can be retried', async () => {
    dest.setReply((request, index) => (recordOf(request).bad ? { status: 400, body: 'bad order' } : slowly(request, index)));
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false, delivery: { concurrency: 4, orderingKey: '{{record.order.id}}' } });
    await queue(listener, 30, 3, (n) => n === 4);
    await h.api().patch(`/flows/${flow.id}`, { enabled: true }).expect(200);
    await dest.waitFor(30);
    await drained(h, flow.id);
    assert.deepEqual(orderOf(dest.received, 1), [1, 4, 7, 10, 13, 16, 19, 22, 25, 28]);
    const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal(errors.length, 1);
    assert.equal(errors[0].response.status, 400);

    dest.setReply(ok);
    await h.api().post(`/flows/${flow.id}/errors/${errors[0].id}/retry`).expect(202);
    await until(h, async () => (await h.api().get(`/flows/${flow.id}/errors?status=resolved`)).body.items.length === 1);
    assert.deepEqual(recordOf(dest.received.at(-1)!), { order: { id: 1 }, n: 4, bad: true });
  });

  it('sends a resubmitted error alone: after the pages in flight end, never beside a page of its key', async () => {
    const slow = (request: Received): Reply => (recordOf(request).bad ? { status: 400, body: 'bad order' } : { status: 200, body: 'ok', delayMs: 150 });
    dest.setReply(slow);
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { delivery: { concurrency: 4, orderingKey: '{{record.order.id}}' } });
    await queue(listener, 1, 1, () => true);
    await until(h, async () => (await h.api().get(`/flows/${flow.id}/errors`)).body.items.length === 1);
    const [error] = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    await queue(listener, 6, 1, undefined, 1);
    await dest.waitFor(2);
    dest.setReply(() => ({ status: 200, body: 'ok', delayMs: 150 }));
    await h.api().post(`/flows/${flow.id}/errors/${error.id}/retry`).expect(202);
    await until(h, async () => (await h.api().get(`/flows/${flow.id}/errors?status=resolved`)).body.items.length === 1);
    await drained(h, flow.id);
    assert.equal(dest.received.length, 8, 'the refused page twice, the others once');
    assert.equal(sameKeyOverlaps(dest.received), 0, 'the retried page was not sent beside a page of its key');
  });

  it('gives the pages in flight up when the flow is disabled, and sends them again when it is enabled', async () => {
    dest.setReply(() => 'hang');
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { delivery: { concurrency: 3, orderingKey: '{{record.order.id}}' } });
    await queue(listener, 9, 3);
    await dest.waitFor(3);
    await h.api().patch(`/flows/${flow.id}`, { enabled: false }).expect(200);
    assert.equal((await h.api().get(`/flows/${flow.id}`)).body.queueDepth, 9, 'no page counted as delivered');

    dest.setReply(slowly);
    await h.api().patch(`/flows/${flow.id}`, { enabled: true }).expect(200);
    await dest.waitFor(12);
    await drained(h, flow.id);
    for (let key = 0; key < 3; key++) assert.deepEqual(orderOf(dest.received, key), [key, key + 3, key + 6]);
  });

  it('switches a flow between one page at a time and parallel delivery without losing a page', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    assert.deepEqual(flow.delivery, { concurrency: 1, orderingKey: null }, 'FIFO by default');
    await queue(listener, 10, 2);
    await h.api().patch(`/flows/${flow.id}`, { delivery: { concurrency: 6, orderingKey: '{{record.order.id}}' } }).expect(200);
    await queue(listener, 10, 2, undefined, 10);
    const back = await h.api().patch(`/flows/${flow.id}`, { delivery: { concurrency: 1 } }).expect(200);
    assert.deepEqual(back.body.delivery, { concurrency: 1, orderingKey: '{{record.order.id}}' }, 'a patch keeps what it does not name');
    await queue(listener, 10, 2, undefined, 20);
    await drained(h, flow.id);
    for (let key = 0; key < 2; key++) assert.deepEqual(orderOf(dest.received, key), Array.from({ length: 15 }, (_, i) => key + 2 * i));
    const reset = await h.api().patch(`/flows/${flow.id}`, { delivery: null }).expect(200);
    assert.deepEqual(reset.body.delivery, { concurrency: 1, orderingKey: null }, 'delivery: null resets to the defaults');
  });

  it('starts one worker when the flow changes again while a switch waits for pages in flight', async () => {
    dest.setReply(() => ({ status: 200, body: 'ok', delayMs: 400 }));
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { delivery: { concurrency: 8, orderingKey: '{{record.order.id}}' } });
    await queue(listener, 12, 4);
    await dest.waitFor(4);
    await h.api().patch(`/flows/${flow.id}`, { delivery: { concurrency: 1 } }).expect(200);
    await h.api().patch(`/flows/${flow.id}`, { name: 'renamed' }).expect(200);
    await h.services.delivery.engine.syncFlows();
    await dest.waitFor(12);
    await drained(h, flow.id);
    assert.equal(sameKeyOverlaps(dest.received), 0, 'no page of a key sent while another of it was in flight');
    assert.deepEqual(dest.received.map((r) => recordOf(r).n).sort((a, b) => a - b), Array.from({ length: 12 }, (_, n) => n), 'each page once');
    assert.equal((await h.api().get(`/flows/${flow.id}`)).body.name, 'renamed', 'the worker after the switch has the latest flow');
  });

  it('reads ahead about 2 MiB of pages, not 4 × concurrency whole jobs', async () => {
    dest.setReply(() => ({ status: 200, body: 'ok', delayMs: 150 }));
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false, delivery: { concurrency: 50 } });
    const padding = 'x'.repeat(400 * 1024);
    for (let n = 0; n < 24; n++) assert.equal((await sendHook(h, listener, { order: { id: n }, n, padding })).status, 204);
    await h.api().patch(`/flows/${flow.id}`, { enabled: true }).expect(200);
    await dest.waitFor(24);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => recordOf(r).n).sort((a, b) => a - b), Array.from({ length: 24 }, (_, n) => n), 'every page, each once');
    // 2 MiB of 400 KiB pages is 5; a window read before its half is used holds a few more at most.
    assert.ok(dest.maxInFlight() <= 8, `pages of 400 KiB in flight together: ${dest.maxInFlight()}`);
  });

  it('answers an afterFlow webhook with the import’s response, and replays a job, on a parallel flow', async () => {
    dest.setReply((request) => ({ status: 201, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ erpId: `ERP-${recordOf(request).n}` }), delayMs: 3 }));
    const listener = await noneListener(h, { response: { mode: 'afterFlow', status: 200, timeoutSeconds: 40, body: { erp: '{{imports.0.body.erpId}}' } } });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { delivery: { concurrency: 4, orderingKey: '{{record.order.id}}' } });
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => sendHook(h, listener, { order: { id: n % 2 }, n })));
    assert.deepEqual(answers.map((r) => [r.status, r.body.erp]), [0, 1, 2, 3, 4, 5].map((n) => [200, `ERP-${n}`]));
    await drained(h, flow.id);

    const job = (await h.api().get(`/flows/${flow.id}/jobs`)).body.items.find((j: { seq: number }) => j.seq === 3);
    assert.equal((await h.api().post(`/flows/${flow.id}/replay`, { jobId: job.id })).status, 202);
    await until(h, async () => (await h.api().get(`/flows/${flow.id}`)).body.replaysQueued === 0);
    const replayed = dest.received.filter((r) => r.headers['hookport-replay'] === 'true');
    assert.deepEqual(replayed.map((r) => recordOf(r).n), [2], 'job 3 once more, marked as a replay');
  });

  it('refuses a concurrency out of range or an orderingKey that does not compile, naming the field', async () => {
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url });
    for (const [delivery, path] of [
      [{ concurrency: 0 }, '/delivery/concurrency'],
      [{ concurrency: 257 }, '/delivery/concurrency'],
      [{ concurrency: 2.5 }, '/delivery/concurrency'],
      [{ concurrency: 4, orderingKey: '{{#if record}}' }, '/delivery/orderingKey'],
      [{ concurrency: 4, orderingKey: '' }, '/delivery/orderingKey'],
      [{ concurrency: 4, ordering: 'x' }, '/delivery/ordering'],
    ] as const) {
      const response = await h.api().post('/flows', { name: 'f', listenerId: listener.id, imports: [imp.id], delivery });
      assert.equal(response.status, 400, JSON.stringify(delivery));
      assert.match(response.headers['content-type'], /application\/problem\+json/);
      assert.ok(response.body.errors.some((e: { path: string }) => e.path === path), `${JSON.stringify(delivery)}: ${JSON.stringify(response.body.errors)}`);
    }
    const flow = await createFlow(h, listener.id, [imp.id]);
    const refused = await h.api().patch(`/flows/${flow.id}`, { delivery: { orderingKey: '{{nope a b' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors[0].path, '/delivery/orderingKey');
    assert.deepEqual((await h.api().get(`/flows/${flow.id}`)).body.delivery, { concurrency: 1, orderingKey: null }, 'nothing stored');
  });
});
