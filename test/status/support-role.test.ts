import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

describe('the support role', () => {
  let h: Harness;
  let listenerId: string;
  let importId: string;
  let flowId: string;
  before(async () => {
    h = await createHarness();
    await h.keyFor('support');
    const listener = await createListener(h, {});
    listenerId = listener.id;
    importId = (await h.api().post('/imports', { name: 'erp', url: 'https://erp.example/orders' })).body.id;
    flowId = (await h.api().post('/flows', { name: 'f', listenerId, imports: [importId], enabled: false })).body.id;
    await h.request().post(hookPath(listener)).send({ order: 1 });
  });
  after(() => h.close());

  it('starts a debug session, reads its logs and stops it', async () => {
    const support = h.api('support');
    const started = await support.post(`/listeners/${listenerId}/debug`, { minutes: 5 });
    assert.equal(started.status, 200);
    await h.request().post(`/hooks/${listenerId}`).set('X-Request-Id', 'seen-by-support').send({});
    const logs = await support.get(`/listeners/${listenerId}/debug/logs`);
    assert.equal(logs.status, 200);
    assert.equal(logs.body.items[0].requestId, 'seen-by-support');
    assert.equal((await support.delete(`/listeners/${listenerId}/debug`)).status, 204);
    assert.equal((await h.api().get(`/listeners/${listenerId}`)).body.debugUntil, null);
  });

  it('reads status, the sample, the structure, and every resource', async () => {
    const support = h.api('support');
    for (const path of [`/listeners/${listenerId}/status`, `/listeners/${listenerId}/sample`, `/listeners/${listenerId}`, `/imports/${importId}`, `/flows/${flowId}`, '/listeners', '/imports', '/flows']) {
      const response = await support.get(path);
      assert.equal(response.status, 200, `GET ${path}: ${response.status}`);
    }
    const structure = await support.post(`/listeners/${listenerId}/structure`, {});
    assert.equal(structure.status, 200);
    assert.equal(structure.body.applied, false);
  });

  const refused: Array<[string, 'post' | 'put' | 'patch' | 'delete', string, unknown]> = [
    ['creates a listener', 'post', '/listeners', { name: 'x' }],
    ['changes a listener', 'patch', '/listeners/:listener', { name: 'renamed' }],
    ['deletes a listener', 'delete', '/listeners/:listener', undefined],
    ['sets a sample', 'put', '/listeners/:listener/sample', { body: { a: 1 } }],
    ['applies a structure to the listener', 'post', '/listeners/:listener/structure', { apply: true }],
    ['creates an import', 'post', '/imports', { name: 'i', url: 'https://erp.example/x' }],
    ['changes an import', 'patch', '/imports/:import', { name: 'renamed' }],
    ['deletes an import', 'delete', '/imports/:import', undefined],
    ['creates a flow', 'post', '/flows', { name: 'f2', listenerId: ':listener', imports: [] }],
    ['changes a flow', 'patch', '/flows/:flow', { enabled: true }],
    ['deletes a flow', 'delete', '/flows/:flow', undefined],
  ];
  for (const [what, method, route, body] of refused) {
    it(`may not do what changes configuration: ${what}`, async () => {
      const fill = (text: string) => text.replace(':listener', listenerId).replace(':import', importId).replace(':flow', flowId);
      const path = fill(route);
      const payload = body === undefined ? undefined : JSON.parse(fill(JSON.stringify(body)));
      const support = h.api('support');
      const response = method === 'delete' ? await support.delete(path) : await support[method](path, payload);
      assert.equal(response.status, 403, `${method.toUpperCase()} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
      assert.equal(response.body.title, 'Forbidden');
    });
  }

  it('left everything as it was', async () => {
    const listener = (await h.api().get(`/listeners/${listenerId}`)).body;
    assert.equal(listener.name, 'test listener');
    assert.equal(listener.validation.schema, null);
    assert.equal((await h.api().get(`/imports/${importId}`)).body.name, 'erp');
    assert.equal((await h.api().get(`/flows/${flowId}`)).body.enabled, false);
    assert.equal((await h.api().get('/listeners')).body.items.length, 1);
    assert.deepEqual((await h.api().get(`/listeners/${listenerId}/sample`)).body.body, {}, 'the last webhook, not the refused PUT');
  });
});
