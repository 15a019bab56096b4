import assert from 'node:assert/strict';
import { DeliveryEngine } from '../../lib/flows/delivery-engine';
import { DeliveryEvents } from '../../lib/flows/delivery-events';
import { ImportRuntimes } from '../../lib/imports/import-runtime';
import { startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

describe('flow leases', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  let other: DeliveryEngine | undefined;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination();
  });
  afterEach(async () => {
    await other?.stop();
    other = undefined;
    await dest.close();
    await h.close();
  });

  /** A second instance on the same store, as another server sharing a database would run. */
  function secondInstance(events: DeliveryEvents): DeliveryEngine {
    const { store, clock, logger, imports, registry } = h.services;
    const engine = new DeliveryEngine({
      store, clock, scheduler: h.scheduler, logger, registry, owner: 'instance-b', retainCompletedMs: 3_600_000,
      events,
      progress: { pageDone: () => undefined, jobFailed: () => undefined, jobPassed: () => undefined },
      runtimes: new ImportRuntimes(imports, clock, h.scheduler, h.services.store.connections),
    });
    return engine;
  }

  it('lets only the lease holder deliver a flow, and another instance take over once the lease is given up', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    const events = new DeliveryEvents(h.services.logger);
    const passedSeven = new Promise<void>((resolve) =>
      events.subscribe({ queueDepth: (_flowId, _listenerId, depth) => depth === 0 && dest.received.length === 7 && resolve() }));
    other = secondInstance(events);
    await other.start();
    for (let n = 0; n < 4; n++) await sendHook(h, listener, { n });
    await drained(h, flow.id);
    for (let i = 0; i < 4; i++) h.scheduler.advance(5_000);
    assert.equal((await h.services.store.delivery.getFlowState(flow.id))?.lease?.owner, 'embedded');

    await h.services.delivery.engine.stop();
    assert.equal((await h.services.store.delivery.getFlowState(flow.id))?.lease, null, 'a stopping instance gives its leases up');
    for (let n = 4; n < 7; n++) await sendHook(h, listener, { n });
    h.scheduler.advance(5_000);
    await passedSeven;
    assert.deepEqual(dest.received.map((r) => r.json), Array.from({ length: 7 }, (_, n) => [{ n }]), 'each page once, in order, across the handover');
    assert.equal((await h.services.store.delivery.getFlowState(flow.id))?.lease?.owner, 'instance-b');
  });

  it('hands a parallel flow (delivery.concurrency) over the same way: its pages once each, each key in order', async () => {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { delivery: { concurrency: 4, orderingKey: '{{record.k}}' } });
    const events = new DeliveryEvents(h.services.logger);
    const passedAll = new Promise<void>((resolve) =>
      events.subscribe({ queueDepth: (_flowId, _listenerId, depth) => depth === 0 && dest.received.length === 12 && resolve() }));
    other = secondInstance(events);
    await other.start();
    for (let n = 0; n < 6; n++) await sendHook(h, listener, { k: n % 2, n });
    await drained(h, flow.id);
    for (let i = 0; i < 4; i++) h.scheduler.advance(5_000);
    assert.equal((await h.services.store.delivery.getFlowState(flow.id))?.lease?.owner, 'embedded');

    await h.services.delivery.engine.stop();
    assert.equal((await h.services.store.delivery.getFlowState(flow.id))?.lease, null, 'a stopping instance gives its leases up');
    for (let n = 6; n < 12; n++) await sendHook(h, listener, { k: n % 2, n });
    h.scheduler.advance(5_000);
    await passedAll;
    const ns = dest.received.map((r) => (r.json as Array<{ k: number; n: number }>)[0]!);
    assert.deepEqual(ns.map((r) => r.n).sort((a, b) => a - b), Array.from({ length: 12 }, (_, n) => n), 'each page once across the handover');
    for (const k of [0, 1]) assert.deepEqual(ns.filter((r) => r.k === k).map((r) => r.n), [0, 2, 4, 6, 8, 10].map((n) => n + k));
    assert.equal((await h.services.store.delivery.getFlowState(flow.id))?.lease?.owner, 'instance-b');
  });

  it('picks up flows created, disabled and enabled through another instance when it syncs with the store', async () => {
    other = secondInstance(new DeliveryEvents(h.services.logger));
    await other.start();
    assert.ok(h.scheduler.pending('poll').some((sleep) => sleep.ms === 30_000), 'it syncs every 30 s');
    await h.services.delivery.engine.stop();

    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await sendHook(h, listener, { n: 0 });
    await other.syncFlows();
    await dest.waitFor(1);

    await h.api().patch(`/flows/${flow.id}`, { enabled: false });
    await other.syncFlows();
    await sendHook(h, listener, { n: 1 });
    other.jobAppended(listener.id);
    assert.equal(await h.services.store.queueDepth(flow.id), 1);
    assert.equal(dest.received.length, 1, 'the disabled flow waits');

    await h.api().patch(`/flows/${flow.id}`, { enabled: true });
    await other.syncFlows();
    await dest.waitFor(2);
    assert.deepEqual(dest.received.map((r) => r.json), [[{ n: 0 }], [{ n: 1 }]]);
  });

  it('stops delivering a deleted flow and forgets its errors', async () => {
    dest.setReply(() => ({ status: 400 }));
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await sendHook(h, listener, { n: 1 });
    await drained(h, flow.id);
    const [error] = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal((await h.api().delete(`/flows/${flow.id}`)).status, 204);
    await sendHook(h, listener, { n: 2 });
    assert.equal(await h.services.store.delivery.getError(error.id), null);
    assert.equal(dest.received.length, 1);
  });
});
