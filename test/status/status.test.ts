import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

describe('listener status', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  async function status(listenerId: string): Promise<any> {
    const response = await h.api().get(`/listeners/${listenerId}/status`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  }

  it('says nothing happened for a new listener', async () => {
    const listener = await createListener(h, {});
    assert.deepEqual(await status(listener.id), {
      listenerId: listener.id,
      lastRequestAt: null,
      lastAcceptedAt: null,
      lastHour: { total: 0, byStatus: {}, unrouted: 0 },
      limiter: { fill: 0, capacity: 1000, leakPerSecond: 300 },
      flows: [],
      debug: { active: false, debugUntil: null, secondsLeft: 0, entries: 0, maxEntries: 10_000, capped: false },
    });
  });

  it('counts requests by status, shows the limiter fill and when the last request came', async () => {
    const listener = await createListener(h, { limits: { capacity: 10, leakPerSecond: 1 } });
    await h.request().post(hookPath(listener)).send({ a: 1 });
    await h.request().post(hookPath(listener)).send({ a: 2 });
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{bad');
    h.clock.advance(250);
    await h.request().post(hookPath(listener)).set('Content-Type', 'text/plain').send('hello');
    const body = await status(listener.id);
    assert.deepEqual(body.lastHour, { total: 4, byStatus: { '204': 2, '400': 1, '415': 1 }, unrouted: 0 });
    assert.equal(body.lastRequestAt, new Date(h.clock.now()).toISOString());
    assert.equal(body.lastAcceptedAt, new Date(h.clock.now() - 250).toISOString());
    // four units poured, a quarter of a second of leaking at 1 per second
    assert.equal(body.limiter.fill, (4 - 0.25) / 10);
  });

  it('keeps one hour of counts in minute buckets, dropping a minute once it is an hour old', async () => {
    const listener = await createListener(h, {});
    await h.request().post(hookPath(listener)).send({});
    h.clock.advanceSeconds(59 * 60);
    await h.request().post(hookPath(listener)).set('Content-Type', 'text/plain').send('x');
    assert.deepEqual((await status(listener.id)).lastHour, { total: 2, byStatus: { '204': 1, '415': 1 }, unrouted: 0 });
    h.clock.advanceSeconds(60);
    assert.deepEqual((await status(listener.id)).lastHour, { total: 1, byStatus: { '415': 1 }, unrouted: 0 });
    h.clock.advanceSeconds(2 * 3600);
    await h.request().post(hookPath(listener)).send({});
    assert.deepEqual((await status(listener.id)).lastHour, { total: 1, byStatus: { '204': 1 }, unrouted: 0 }, 'a reused slot starts from zero');
  });

  it('shows the queue depth of each flow of the listener and how long its oldest job has waited', async () => {
    const listener = await createListener(h, {});
    const imported = await h.api().post('/imports', { name: 'erp', url: 'https://erp.example/orders' });
    const flow = await h.api().post('/flows', { name: 'paused', listenerId: listener.id, imports: [imported.body.id], enabled: false, maxQueuedJobs: 50 });
    assert.equal(flow.status, 201);
    const waitingNone = (await status(listener.id)).flows[0];
    assert.equal(waitingNone.oldestWaitingSeconds, null, 'nothing waits yet');
    for (let i = 0; i < 3; i++) {
      assert.equal((await h.request().post(hookPath(listener)).send({ i })).status, 204);
      h.clock.advanceSeconds(30);
    }
    assert.deepEqual((await status(listener.id)).flows, [{
      id: flow.body.id, name: 'paused', enabled: false, queueDepth: 3, maxQueuedJobs: 50, oldestWaitingSeconds: 90, retryWait: null, replaysQueued: 0,
    }]);
  });

  it('shows the debug session and the seconds it has left', async () => {
    const listener = await createListener(h, {});
    const started = await h.api().post(`/listeners/${listener.id}/debug`, { minutes: 10 });
    h.clock.advanceSeconds(90);
    await h.request().post(hookPath(listener)).send({});
    assert.deepEqual((await status(listener.id)).debug, {
      active: true, debugUntil: started.body.debugUntil, secondsLeft: 510, entries: 1, maxEntries: 10_000, capped: false,
    });
    h.clock.advanceSeconds(510);
    const ended = (await status(listener.id)).debug;
    assert.equal(ended.active, false);
    assert.equal(ended.secondsLeft, 0);
  });

  it('answers 404 for an unknown or deleted listener', async () => {
    assert.equal((await h.api().get(`/listeners/${'b'.repeat(32)}/status`)).status, 404);
    const listener = await createListener(h, {});
    await h.api().delete(`/listeners/${listener.id}`);
    assert.equal((await h.api().get(`/listeners/${listener.id}/status`)).status, 404);
  });
});
