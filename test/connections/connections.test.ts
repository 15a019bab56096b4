import assert from 'node:assert/strict';
import { startDestination, type Destination } from '../flows/destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from '../flows/delivery-setup';

async function createConnection(h: DeliveryHarness, settings: Record<string, unknown>): Promise<any> {
  const response = await h.api().post('/connections', { name: 'partner', ...settings });
  if (response.status !== 201) throw new Error(`connection not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

describe('connections API', function () {
  this.timeout(30_000);
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

  it('seals private header values at rest and never returns them, only their mask', async () => {
    const created = await createConnection(h, {
      baseUrl: `${dest.url}/api`, headers: [{ name: 'Authorization', value: 'Bearer partner-secret-9KQ2', private: true }],
    });
    assert.equal(created.headers[0].value, '****9KQ2');
    assert.equal(created.headers[0].inherit, true, 'headers are inherited by default');
    assert.deepEqual(created.rateLimit, { perSecond: null });
    assert.equal(created.uid, null);
    for (const response of [await h.api().get(`/connections/${created.id}`), await h.api().get('/connections')]) {
      assert.ok(!JSON.stringify(response.body).includes('partner-secret'), 'the value is never returned');
    }
    const stored = await h.services.store.connections.get(created.id);
    assert.ok(!JSON.stringify(stored).includes('partner-secret'), 'the store holds the value sealed');
    // the mask sent back keeps the stored value
    await h.api().patch(`/connections/${created.id}`, { headers: created.headers, name: 'renamed' }).expect(200);
    assert.equal((await h.services.connections.getState(created.id)).settings.headers[0]!.value, 'Bearer partner-secret-9KQ2');
  });

  it('gives an import the base URL and inherited headers, its own headers overriding them by name, and follows connection changes', async () => {
    const connection = await createConnection(h, {
      baseUrl: `${dest.url}/v1/`,
      headers: [
        { name: 'Authorization', value: 'Bearer tenant-token-0001', private: true },
        { name: 'X-Api-Version', value: '2024-01' },
        { name: 'X-Admin-Only', value: 'register-hooks', inherit: false },
      ],
    });
    const imp = await createImport(h, { connectionId: connection.id, path: '/orders?source=hookport', headers: [{ name: 'x-api-version', value: '2025-06' }] });
    assert.equal(imp.url, undefined, 'an import on a connection has no url of its own');
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [imp.id]);
    await sendHook(h, listener, { id: 1 }).expect(204);
    const [first] = await dest.waitFor(1);
    assert.equal(first!.path, '/v1/orders?source=hookport');
    assert.equal(first!.headers.authorization, 'Bearer tenant-token-0001');
    assert.equal(first!.headers['x-api-version'], '2025-06', 'the import’s header overrides the inherited one');
    assert.equal(first!.headers['x-admin-only'], undefined, 'a header with inherit: false stays with the connection');

    const moved = await startDestination();
    try {
      await h.api().patch(`/connections/${connection.id}`, {
        baseUrl: `${moved.url}/v2`, headers: [{ name: 'Authorization', value: 'Bearer rotated-token-0002', private: true }],
      }).expect(200);
      await drained(h, flow.id);
      await sendHook(h, listener, { id: 2 }).expect(204);
      const [second] = await moved.waitFor(1);
      assert.equal(second!.path, '/v2/orders?source=hookport', 'the new base URL applies without touching the import');
      assert.equal(second!.headers.authorization, 'Bearer rotated-token-0002');
      assert.equal(dest.received.length, 1);
      const unchanged = await h.api().get(`/imports/${imp.id}`);
      assert.equal(unchanged.body.updatedAt, imp.updatedAt);
    } finally {
      await moved.close();
    }
  });

  it('shares one rate limit between two imports in two flows', async () => {
    const connection = await createConnection(h, { baseUrl: dest.url, rateLimit: { perSecond: 1 } });
    const a = await createImport(h, { connectionId: connection.id, path: '/a' });
    const b = await createImport(h, { connectionId: connection.id, path: '/b' });
    const first = await noneListener(h);
    const second = await noneListener(h);
    const flowA = await createFlow(h, first.id, [a.id]);
    const flowB = await createFlow(h, second.id, [b.id]);
    await sendHook(h, first, { n: 1 }).expect(204);
    await sendHook(h, second, { n: 2 }).expect(204);
    await dest.waitFor(1);
    const wait = await h.scheduler.next('rate-limit');
    assert.equal(wait.ms, 1000, 'the second import waits for the slot the first one took');
    assert.equal(dest.received.length, 1);
    await h.scheduler.advanceToNext('rate-limit');
    await dest.waitFor(2);
    await Promise.all([drained(h, flowA.id), drained(h, flowB.id)]);
    assert.deepEqual(dest.received.map((r) => r.path).sort(), ['/a', '/b']);
  });

  it('refuses to delete a connection in use with 409 naming the imports, and deletes it once unused', async () => {
    const connection = await createConnection(h, { baseUrl: dest.url });
    const imp = await createImport(h, { name: 'orders', connectionId: connection.id, path: '/orders' });
    const refused = await h.api().delete(`/connections/${connection.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 'ERR_CONNECTION_IN_USE');
    assert.deepEqual(refused.body.imports, [{ id: imp.id, name: 'orders' }]);
    assert.match(refused.body.detail, new RegExp(imp.id));
    await h.api().get(`/connections/${connection.id}`).expect(200);
    await h.api().patch(`/imports/${imp.id}`, { connectionId: null, path: null, url: `${dest.url}/direct` }).expect(200);
    await h.api().delete(`/connections/${connection.id}`).expect(204);
    await h.api().get(`/connections/${connection.id}`).expect(404);
  });

  it('names what is wrong: an unknown connection, a url beside a connection, a path without one, a duplicate uid', async () => {
    const unknown = await h.api().post('/imports', { name: 'x', connectionId: 'a'.repeat(32), path: '/x' });
    assert.equal(unknown.status, 422);
    assert.equal(unknown.body.errors[0].path, '/connectionId');
    const connection = await createConnection(h, { baseUrl: dest.url, uid: 'acct_1' });
    const both = await h.api().post('/imports', { name: 'x', connectionId: connection.id, url: 'https://a.example' });
    assert.equal(both.status, 400);
    assert.equal(both.body.errors[0].path, '/url');
    const pathAlone = await h.api().post('/imports', { name: 'x', url: 'https://a.example', path: '/x' });
    assert.equal(pathAlone.body.errors[0].path, '/path');
    const badBase = await h.api().post('/connections', { name: 'x', baseUrl: 'ftp://files.example' });
    assert.equal(badBase.body.errors[0].path, '/baseUrl');
    const taken = await h.api().post('/connections', { name: 'again', baseUrl: dest.url, uid: 'acct_1' });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 'ERR_CONNECTION_UID_TAKEN');
    const split = await h.api().post('/connections', { name: 'header', baseUrl: dest.url, headers: [{ name: 'X-A', value: 'a\r\nInjected: 1' }] });
    assert.equal(split.status, 400);
    assert.equal(split.body.errors[0].path, '/headers/0/value');
  });
});
