import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../helpers/harness';

describe('imports API', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('creates an import with defaults and masks private header values', async () => {
    const response = await h.api().post('/imports', {
      name: 'ERP orders',
      url: 'https://erp.example/api/orders',
      headers: [{ name: 'Authorization', value: 'Bearer erp-token-abcdef', private: true }, { name: 'X-Team', value: 'ops' }],
    });
    assert.equal(response.status, 201);
    assert.equal(response.body.method, 'POST');
    assert.equal(response.body.timeoutSeconds, 30);
    assert.deepEqual(response.body.retry, { policy: 'spread', attempts: 3, maxSeconds: 360 });
    assert.equal(response.body.signing, null);
    assert.equal(response.body.idempotencyHeader, 'Idempotency-Key');
    assert.equal(response.body.headers[0].value, '****cdef');
    assert.equal(response.body.headers[1].value, 'ops');
    // sending the masked value back keeps the stored one
    const patched = await h.api().patch(`/imports/${response.body.id}`, { headers: response.body.headers, timeoutSeconds: 10 });
    assert.equal(patched.status, 200);
    const state = await h.services.imports.getState(response.body.id);
    assert.equal(state.settings.headers[0]!.value, 'Bearer erp-token-abcdef');
    assert.equal(state.settings.timeoutSeconds, 10);
  });

  it('refuses to turn a private header public with its masked value, so the secret is never revealed', async () => {
    const created = (await h.api().post('/imports', {
      name: 'reveal', url: 'https://erp.example/x', headers: [{ name: 'Authorization', value: 'Bearer never-shown-XYZ1', private: true }],
    })).body;
    const response = await h.api().patch(`/imports/${created.id}`, { headers: [{ name: 'Authorization', value: '****XYZ1', private: false }] });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/headers/0/value');
    assert.ok(!JSON.stringify(response.body).includes('never-shown'));
  });

  it('names a missing url, a wrong type and an unknown field', async () => {
    const missing = await h.api().post('/imports', { name: 'x' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].path, '/url');
    const wrongType = await h.api().post('/imports', { name: 'x', url: 'https://a.example', timeoutSeconds: 'soon' });
    assert.equal(wrongType.body.errors[0].path, '/timeoutSeconds');
    const unknown = await h.api().post('/imports', { name: 'x', url: 'https://a.example', verb: 'POST' });
    assert.equal(unknown.body.errors[0].path, '/verb');
  });
});

describe('flows API', () => {
  let h: Harness;
  let listenerId: string;
  let importId: string;
  before(async () => {
    h = await createHarness();
    listenerId = (await h.api().post('/listeners', { name: 'l' })).body.id;
    importId = (await h.api().post('/imports', { name: 'i', url: 'https://erp.example/x' })).body.id;
  });
  after(() => h.close());

  it('creates, enables and disables a flow', async () => {
    const created = await h.api().post('/flows', { name: 'Orders to ERP', listenerId, imports: [importId], enabled: false });
    assert.equal(created.status, 201);
    assert.equal(created.body.enabled, false);
    assert.equal(created.body.maxQueuedJobs, 10_000);
    assert.equal(created.body.queueDepth, 0);
    const enabled = await h.api().patch(`/flows/${created.body.id}`, { enabled: true });
    assert.equal(enabled.body.enabled, true);
    const listed = await h.api().get('/flows');
    assert.ok(listed.body.items.some((f: any) => f.id === created.body.id));
  });

  it('answers 422 for a flow naming a listener or import that does not exist', async () => {
    const response = await h.api().post('/flows', { name: 'x', listenerId: 'a'.repeat(32), imports: ['b'.repeat(32)] });
    assert.equal(response.status, 422);
    assert.deepEqual(response.body.errors.map((e: any) => e.path), ['/listenerId', '/imports/0']);
  });

  it('names a missing listenerId, a wrong type and an unknown field', async () => {
    const missing = await h.api().post('/flows', { name: 'x' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.errors[0].path, '/listenerId');
    const wrongType = await h.api().post('/flows', { name: 'x', listenerId, enabled: 'yes' });
    assert.equal(wrongType.body.errors[0].path, '/enabled');
    const unknown = await h.api().post('/flows', { name: 'x', listenerId, speed: 'fast' });
    assert.equal(unknown.body.errors[0].path, '/speed');
  });

  it('keeps an import that a flow uses from being deleted', async () => {
    const used = (await h.api().post('/imports', { name: 'used', url: 'https://erp.example/y' })).body.id;
    const flow = (await h.api().post('/flows', { name: 'f', listenerId, imports: [used] })).body.id;
    const refused = await h.api().delete(`/imports/${used}`);
    assert.equal(refused.status, 409);
    assert.equal((await h.api().delete(`/flows/${flow}`)).status, 204);
    assert.equal((await h.api().delete(`/imports/${used}`)).status, 204);
  });

  it('does not let a flow move to another listener', async () => {
    const other = (await h.api().post('/listeners', { name: 'other' })).body.id;
    const flow = (await h.api().post('/flows', { name: 'f', listenerId })).body.id;
    const response = await h.api().patch(`/flows/${flow}`, { listenerId: other });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/listenerId');
  });
});
