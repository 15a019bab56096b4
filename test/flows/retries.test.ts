import assert from 'node:assert/strict';
import { failTimes, hang, ok, startDestination, tooManyRequests, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, until, type DeliveryHarness } from './delivery-setup';

describe('delivery retries', () => {
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

  async function flowTo(importSettings: Record<string, unknown> = {}) {
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url, ...importSettings });
    const flow = await createFlow(h, listener.id, [imp.id]);
    return { listener, imp, flow };
  }

  async function openErrors(flowId: string): Promise<any[]> {
    return (await h.api().get(`/flows/${flowId}/errors`)).body.items;
  }

  it('retries a failing destination with growing, jittered backoff and the same idempotency key until it succeeds', async () => {
    dest.setReply(failTimes(2));
    const { listener, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    const first = await h.scheduler.advanceToNext('backoff');
    assert.ok(first.ms < 1000, `the first retry waits less than 1 s, waited ${first.ms}`);
    await dest.waitFor(2);
    const second = await h.scheduler.advanceToNext('backoff');
    assert.ok(second.ms < 2000, `the second retry waits less than 2 s, waited ${second.ms}`);
    await dest.waitFor(3);
    await drained(h, flow.id);
    const keys = dest.received.map((r) => r.headers['idempotency-key']);
    assert.equal(keys.length, 3);
    assert.match(keys[0] as string, /^[a-f0-9]{32}$/);
    assert.equal(new Set(keys).size, 1, 'the same key on every try');
    assert.deepEqual(await openErrors(flow.id), []);

    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(4);
    assert.notEqual(dest.received[3]!.headers['idempotency-key'], keys[0], 'another page has another key');
  });

  it('waits at least as long as a 429’s Retry-After before trying again', async () => {
    dest.setReply(tooManyRequests(7));
    const { listener, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    const backoff = await h.scheduler.next('backoff');
    assert.ok(backoff.ms >= 7000, `waits ${backoff.ms} ms`);
    h.scheduler.advance(backoff.ms - 1);
    assert.equal(h.scheduler.pending('backoff').length, 1, 'still waiting one millisecond before Retry-After ends');
    h.scheduler.advance(1);
    await dest.waitFor(2);
    await drained(h, flow.id);
    assert.deepEqual(await openErrors(flow.id), []);
  });

  it('gives up on a destination that hangs past timeoutSeconds once the retries are used, with a timeout error', async () => {
    dest.setReply(hang);
    const { listener, imp, flow } = await flowTo({ timeoutSeconds: 5, retry: { attempts: 1, maxSeconds: 60 } });
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    const timeout = await h.scheduler.advanceToNext('timeout');
    assert.equal(timeout.ms, 5000);
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(2);
    await h.scheduler.advanceToNext('timeout');
    await drained(h, flow.id);
    const [error] = await openErrors(flow.id);
    assert.equal(error.kind, 'timeout');
    assert.equal(error.importId, imp.id);
    assert.equal(error.attempts, 2);
    assert.equal(error.response, null);
  });

  it('records the last answer as an error once the attempts are used up, and keeps delivering the next jobs', async () => {
    dest.setReply((request, index) => (index < 3 ? { status: 502, body: 'bad gateway' } : ok(request, index)));
    const { listener, flow } = await flowTo({ retry: { attempts: 2, maxSeconds: 360 } });
    await sendHook(h, listener, { id: 1 });
    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(1);
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(2);
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(4);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => r.json), [[{ id: 1 }], [{ id: 1 }], [{ id: 1 }], [{ id: 2 }]]);
    const [error] = await openErrors(flow.id);
    assert.equal(error.attempts, 3, 'the first try and two retries');
    assert.equal(error.response.status, 502);
    assert.equal(error.response.body, 'bad gateway');
  });

  it('does not retry when Retry-After would fall outside retry.maxSeconds', async () => {
    dest.setReply(tooManyRequests(600));
    const { listener, flow } = await flowTo({ retry: { attempts: 3, maxSeconds: 360 } });
    await sendHook(h, listener, { id: 1 });
    await drained(h, flow.id);
    assert.equal(dest.received.length, 1);
    assert.deepEqual(h.scheduler.pending('backoff'), []);
    const [error] = await openErrors(flow.id);
    assert.equal(error.response.status, 429);
    assert.equal(error.attempts, 1);
  });

  it('retries a destination that cannot be reached at all, as a network error', async () => {
    await dest.close();
    const { listener, flow } = await flowTo({ retry: { attempts: 1, maxSeconds: 60 } });
    await sendHook(h, listener, { id: 1 });
    await h.scheduler.advanceToNext('backoff');
    await until(h, async () => (await openErrors(flow.id)).length === 1);
    const [error] = await openErrors(flow.id);
    assert.equal(error.kind, 'network');
    assert.equal(error.attempts, 2);
    dest = await startDestination();
  });

  it('spaces requests to an import by its rateLimit.perSecond', async () => {
    const { listener, flow } = await flowTo({ mode: 'record', rateLimit: { perSecond: 2 } });
    await sendHook(h, listener, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    await dest.waitFor(1);
    const wait = await h.scheduler.next('rate-limit');
    assert.equal(wait.ms, 500);
    assert.equal(dest.received.length, 1, 'the second record waits for its slot');
    await h.scheduler.advanceToNext('rate-limit');
    await dest.waitFor(2);
    await h.scheduler.advanceToNext('rate-limit');
    await dest.waitFor(3);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => r.json), [{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
