import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../helpers/harness';
import type { Role } from '../../lib/store/store';

describe('admin API authentication and roles', () => {
  let h: Harness;
  let listenerId: string;
  before(async () => {
    h = await createHarness();
    await h.keyFor('integrator');
    await h.keyFor('support');
    listenerId = (await h.api().post('/listeners', { name: 'roles' })).body.id;
  });
  after(() => h.close());

  it('refuses a request without a key with 401 problem+json', async () => {
    const response = await h.request().get('/api/v1/listeners');
    assert.equal(response.status, 401);
    assert.match(response.headers['content-type'], /application\/problem\+json/);
    assert.equal(response.body.title, 'Authentication required');
    assert.equal(response.body.requestId, response.headers['x-request-id']);
  });

  it('refuses an unknown key with 401', async () => {
    const response = await h.request().get('/api/v1/listeners').set('Authorization', 'Bearer hpk_not-a-real-key');
    assert.equal(response.status, 401);
  });

  const matrix: Array<{ route: string; method: 'get' | 'post' | 'patch' | 'delete'; body?: () => unknown; allowed: Role[] }> = [
    { method: 'get', route: '/listeners', allowed: ['admin', 'integrator', 'support'] },
    { method: 'post', route: '/listeners', body: () => ({ name: 'x' }), allowed: ['admin', 'integrator'] },
    { method: 'patch', route: '/listeners/:id', body: () => ({ name: 'renamed' }), allowed: ['admin', 'integrator'] },
    { method: 'get', route: '/imports', allowed: ['admin', 'integrator', 'support'] },
    { method: 'post', route: '/imports', body: () => ({ name: 'i', url: 'https://erp.example/x' }), allowed: ['admin', 'integrator'] },
    { method: 'get', route: '/flows', allowed: ['admin', 'integrator', 'support'] },
    { method: 'get', route: '/api-keys', allowed: ['admin'] },
    { method: 'post', route: '/api-keys', body: () => ({ name: 'k', role: 'support' }), allowed: ['admin'] },
  ];
  for (const entry of matrix) {
    for (const role of ['admin', 'integrator', 'support'] as Role[]) {
      const allowed = entry.allowed.includes(role);
      it(`${allowed ? 'lets' : 'refuses'} ${role} ${entry.method.toUpperCase()} ${entry.route}`, async () => {
        const path = entry.route.replace(':id', listenerId);
        const client = h.api(role);
        const response = entry.method === 'get' || entry.method === 'delete' ? await client[entry.method](path) : await client[entry.method](path, entry.body!());
        if (allowed) assert.ok(response.status < 300, `expected success, got ${response.status} ${JSON.stringify(response.body)}`);
        else {
          assert.equal(response.status, 403);
          assert.equal(response.body.title, 'Forbidden');
        }
      });
    }
  }

  it('shows a new API key once and stores only its hash', async () => {
    const created = await h.api().post('/api-keys', { name: 'desk', role: 'support' });
    assert.equal(created.status, 201);
    assert.match(created.body.key, /^hpk_/);
    const read = await h.api().get(`/api-keys/${created.body.id}`);
    assert.equal(read.body.key, undefined);
    const works = await h.request().get('/api/v1/listeners').set('Authorization', `Bearer ${created.body.key}`);
    assert.equal(works.status, 200);
    const revoked = await h.api().delete(`/api-keys/${created.body.id}`);
    assert.equal(revoked.status, 204);
    h.clock.advanceSeconds(60); // past the authentication cache
    const refused = await h.request().get('/api/v1/listeners').set('Authorization', `Bearer ${created.body.key}`);
    assert.equal(refused.status, 401);
  });

  it('rejects an API key body with an unknown role, naming the field', async () => {
    const response = await h.api().post('/api-keys', { name: 'x', role: 'root' });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/role');
  });
});

describe('admin key bootstrap', () => {
  it('turns HOOKPORT_ADMIN_KEY into an admin key', async () => {
    const h = await createHarness({ env: { HOOKPORT_ADMIN_KEY: 'configured-admin-key-0123456789abcdef' } });
    try {
      const { generated } = await h.services.apiKeys.bootstrap(h.config.adminKey);
      assert.equal(generated, null);
      const response = await h.request().get('/api/v1/api-keys').set('Authorization', 'Bearer configured-admin-key-0123456789abcdef');
      assert.equal(response.status, 200);
      // idempotent: a second start does not add another key
      const before = await h.services.store.apiKeys.count();
      await h.services.apiKeys.bootstrap(h.config.adminKey);
      assert.equal(await h.services.store.apiKeys.count(), before);
    } finally {
      await h.close();
    }
  });

  it('generates an admin key once when none exists and none is configured', async () => {
    const h = await createHarness();
    try {
      await h.services.store.apiKeys.delete((await h.services.store.apiKeys.list({ limit: 10 })).items[0]!.id);
      const first = await h.services.apiKeys.bootstrap(null);
      assert.match(first.generated ?? '', /^hpk_/);
      const works = await h.request().get('/api/v1/api-keys').set('Authorization', `Bearer ${first.generated}`);
      assert.equal(works.status, 200);
      assert.equal(works.body.items[0].role, 'admin');
      const second = await h.services.apiKeys.bootstrap(null);
      assert.equal(second.generated, null);
    } finally {
      await h.close();
    }
  });
});
