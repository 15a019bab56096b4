import assert from 'node:assert/strict';
import { startDestination, type Destination } from '../flows/destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from '../flows/delivery-setup';

describe('shared listeners routed by uid', function () {
  this.timeout(30_000);
  let h: DeliveryHarness;
  let tenantA: Destination;
  let tenantB: Destination;
  let audit: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    [tenantA, tenantB, audit] = await Promise.all([startDestination(), startDestination(), startDestination()]);
  });
  afterEach(async () => {
    await Promise.all([tenantA.close(), tenantB.close(), audit.close()]);
    await h.close();
  });

  async function tenantFlow(listenerId: string, uid: string, dest: Destination) {
    const connection = (await h.api().post('/connections', { name: `tenant ${uid}`, baseUrl: dest.url, uid }).expect(201)).body;
    const imp = await createImport(h, { connectionId: connection.id, path: '/events' });
    return createFlow(h, listenerId, [imp.id], { name: `to ${uid}` });
  }

  it('routes each request to the flows of the tenant whose connection has the uid; flows without a tenant get everything', async () => {
    const listener = await noneListener(h, { routing: { uid: '{{body.account.id}}' } });
    const flowA = await tenantFlow(listener.id, 'acct_1', tenantA);
    const flowB = await tenantFlow(listener.id, 'acct_2', tenantB);
    const auditFlow = await createFlow(h, listener.id, [(await createImport(h, { url: `${audit.url}/all` })).id]);
    await sendHook(h, listener, { account: { id: 'acct_1' }, n: 1 }).expect(204);
    await sendHook(h, listener, { account: { id: 'acct_2' }, n: 2 }).expect(204);
    await sendHook(h, listener, { account: { id: 'acct_1' }, n: 3 }).expect(204);
    await Promise.all([drained(h, flowA.id), drained(h, flowB.id), drained(h, auditFlow.id)]);
    assert.deepEqual(tenantA.received.map((r) => (r.json as any[])[0].n), [1, 3]);
    assert.deepEqual(tenantB.received.map((r) => (r.json as any[])[0].n), [2]);
    assert.deepEqual(audit.received.map((r) => (r.json as any[])[0].n), [1, 2, 3]);
    assert.equal(tenantA.received[0]!.path, '/events');
  });

  it('answers an unrouted request with the success response, queues it nowhere, and shows it in metrics, status and debug logs', async () => {
    const listener = await noneListener(h, { routing: { uid: '{{body.account.id}}' }, response: { status: 200, body: { ok: true } } });
    const flowA = await tenantFlow(listener.id, 'acct_1', tenantA);
    await h.api().post(`/listeners/${listener.id}/debug`, { minutes: 5 }).expect(200);
    const before = await h.services.store.lastSeq(listener.id);
    const unknown = await sendHook(h, listener, { account: { id: 'acct_404' } });
    assert.equal(unknown.status, 200, 'the sender is told it arrived, so it does not retry forever');
    assert.deepEqual(unknown.body, { ok: true });
    assert.equal(unknown.headers['hookport-unrouted'], 'true');
    const missing = await sendHook(h, listener, { nothing: 'here' });
    assert.equal(missing.status, 200);
    assert.equal(await h.services.store.lastSeq(listener.id), before, 'no job was stored');
    await drained(h, flowA.id);
    assert.equal(tenantA.received.length, 0);

    const metrics = await h.request().get('/metrics');
    assert.match(metrics.text, new RegExp(`hookport_unrouted_requests_total\\{listener="${listener.id}"\\} 2`));
    const status = (await h.api().get(`/listeners/${listener.id}/status`).expect(200)).body;
    assert.equal(status.lastHour.unrouted, 2);
    const logs = (await h.api().get(`/listeners/${listener.id}/debug/logs`).expect(200)).body.items;
    assert.deepEqual(logs.map((entry: any) => entry.outcome), ['unrouted', 'unrouted']);
  });

  it('refuses a uid template that does not compile when the listener is saved', async () => {
    const response = await h.api().post('/listeners', { name: 'shared', routing: { uid: '{{#each}}' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/routing/uid');
  });
});
