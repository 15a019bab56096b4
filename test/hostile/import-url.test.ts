/**
 * Finding 2 of #11: webhook data rendered into an import URL redirected a delivery
 * that carries a private credential (`../../admin/delete-everything?confirm=yes#`
 * as a record id delivered POST /admin/delete-everything with the header).
 */
import assert from 'node:assert/strict';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from '../flows/delivery-setup';
import { startDestination, type Destination } from '../flows/destinations';

describe('hostile: record values in an import URL', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  before(async () => {
    h = await deliveryHarness();
    dest = await startDestination();
  });
  after(async () => {
    await dest.close();
    await h.close();
  });

  it('percent-encodes each value as one path segment or query value, and refuses a value that leaves the path prefix', async () => {
    const listener = await noneListener(h);
    const imp = await createImport(h, {
      url: `${dest.url}/api/orders/{{record.id}}?from={{record.id}}`,
      mode: 'record',
      headers: [{ name: 'Authorization', value: 'Bearer erp-secret-123456', private: true }],
    });
    const flow = await createFlow(h, listener.id, [imp.id]);
    const ids = ['../../admin/delete-everything?confirm=yes#', 'x?injected=1&', '\\..\\..\\internal', '..', '42'];
    assert.equal((await sendHook(h, listener, ids.map((id) => ({ id })))).status, 204);
    await drained(h, flow.id);

    const paths = dest.received.map((r) => r.path);
    for (const path of paths) assert.match(path, /^\/api\/orders\/[^/?#]+\?from=[^&#]+$/, path);
    assert.deepEqual(paths, [
      '/api/orders/..%2F..%2Fadmin%2Fdelete-everything%3Fconfirm%3Dyes%23?from=..%2F..%2Fadmin%2Fdelete-everything%3Fconfirm%3Dyes%23',
      '/api/orders/x%3Finjected%3D1%26?from=x%3Finjected%3D1%26',
      '/api/orders/%5C..%5C..%5Cinternal?from=%5C..%5C..%5Cinternal',
      '/api/orders/42?from=42',
    ]);
    const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.deepEqual(errors[0].traceKeys, ['..']);
    assert.match(errors[0].message, /^record \.\.: .*path prefix/);
    assert.equal(errors[0].attempts ?? 0, 0, 'not retried');
  });

  it('refuses at save time a template in the scheme, host or port, and a block', async () => {
    for (const url of ['https://{{record.host}}/x', 'https://erp.example{{record.port}}/x', 'https://erp.example/{{#if a}}x{{/if}}']) {
      const response = await h.api().post('/imports', { name: 'bad', url });
      assert.equal(response.status, 400, url);
      assert.equal(response.body.errors[0].path, '/url');
    }
  });
});
