/**
 * Finding 5 of #11: private import header values could be read back.
 * (a) a destination that echoes request headers in an error body had the value
 *     stored in clear in delivery errors (shown to support) and in flow-test replies;
 * (b) an integrator could point an import at their own server and read the
 *     admin-set private header through a flow test.
 */
import assert from 'node:assert/strict';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from '../flows/delivery-setup';
import { startDestination, type Destination } from '../flows/destinations';

const SECRET = 'erp-secret-token-0123456789';

describe('hostile: private import values', () => {
  let h: DeliveryHarness;
  let echo: Destination;
  let other: Destination;
  before(async () => {
    h = await deliveryHarness();
    // An error page that repeats every request header, as many do.
    echo = await startDestination((request) => ({
      status: 400, headers: { 'Content-Type': 'application/json', 'X-Request-Id': String(request.headers.authorization) },
      body: JSON.stringify({ error: 'rejected', youSent: request.headers, raw: `auth=${encodeURIComponent(String(request.headers.authorization))}` }),
    }));
    other = await startDestination((request) => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ youSent: request.headers }) }));
  });
  after(async () => {
    await echo.close();
    await other.close();
    await h.close();
  });

  it('scrubs a private value a destination echoes from stored errors and flow-test replies', async () => {
    const listener = await noneListener(h, { mockOutput: [{ id: 1 }] });
    const imp = await createImport(h, { url: `${echo.url}/orders`, headers: [{ name: 'Authorization', value: `Bearer ${SECRET}`, private: true }] });
    const flow = await createFlow(h, listener.id, [imp.id]);
    assert.equal((await sendHook(h, listener, [{ id: 7 }])).status, 204);
    await drained(h, flow.id);
    assert.equal(echo.received[0]!.headers.authorization, `Bearer ${SECRET}`, 'the destination did get the credential');

    await h.keyFor('support');
    const errors = await h.api('support').get(`/flows/${flow.id}/errors`);
    assert.equal(errors.status, 200);
    assert.equal(errors.body.items.length, 1);
    assert.ok(!JSON.stringify(errors.body).includes(SECRET), JSON.stringify(errors.body).slice(0, 500));
    assert.ok(JSON.stringify(errors.body).includes('****'));

    const test = await h.api().post(`/flows/${flow.id}/test`);
    assert.equal(test.status, 200);
    assert.ok(!JSON.stringify(test.body).includes(SECRET), JSON.stringify(test.body).slice(0, 500));
  });

  it('drops private values when an import moves to another origin, says so, and keeps them when they are sent again', async () => {
    const listener = await noneListener(h, { mockOutput: [{ id: 1 }] });
    const imp = await createImport(h, { url: `${echo.url}/orders`, headers: [{ name: 'Authorization', value: `Bearer ${SECRET}`, private: true }, { name: 'X-Tenant', value: 'acme' }] });
    const flow = await createFlow(h, listener.id, [imp.id], { enabled: false });
    await h.keyFor('integrator');

    const moved = await h.api('integrator').patch(`/imports/${imp.id}`, { url: `${other.url}/collect` });
    assert.equal(moved.status, 200);
    assert.deepEqual(moved.body.droppedPrivateHeaders, ['Authorization']);
    assert.match(moved.body.warnings[0], /another origin.*Authorization/);
    assert.deepEqual(moved.body.headers, [{ name: 'X-Tenant', value: 'acme', private: false }]);
    const test = await h.api('integrator').post(`/flows/${flow.id}/test`);
    assert.equal(test.status, 200);
    assert.equal(other.received.at(-1)!.headers.authorization, undefined, 'the new origin never sees the credential');
    assert.ok(!JSON.stringify(test.body).includes(SECRET));

    const samePlace = await h.api().patch(`/imports/${imp.id}`, { headers: [{ name: 'Authorization', value: 'Bearer new-value-0123456789', private: true }] });
    const path = await h.api('integrator').patch(`/imports/${imp.id}`, { url: `${other.url}/elsewhere`, headers: samePlace.body.headers });
    assert.equal(path.status, 200, 'same origin: masked values still stand for the stored ones');
    assert.equal(path.body.droppedPrivateHeaders, undefined);
    const back = await h.api().patch(`/imports/${imp.id}`, { url: `${echo.url}/orders`, headers: [{ name: 'Authorization', value: `Bearer ${SECRET}`, private: true }] });
    assert.equal(back.body.droppedPrivateHeaders, undefined, 'values sent again in clear are kept');
    assert.equal(back.body.headers[0].value, '****6789');
  });
});
