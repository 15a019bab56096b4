import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../helpers/harness';

describe('listeners API', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('creates a listener with a 32-character id, its public url and every default', async () => {
    const response = await h.api().post('/listeners', { name: 'Shopify orders' });
    assert.equal(response.status, 201);
    assert.match(response.body.id, /^[a-z0-9]{32}$/);
    assert.equal(response.body.url, `https://hooks.example.com/hooks/${response.body.id}`);
    assert.deepEqual(response.body.limits, { capacity: 1000, leakPerSecond: 300 });
    assert.equal(response.body.parsing.maxBodyBytes, 5_242_880);
    assert.equal(response.body.records.pageSize, 20);
    assert.equal(response.body.response.status, 204);
    assert.equal(response.body.response.timeoutSeconds, 40);
    assert.deepEqual(response.body.verification, { type: 'none' });
    assert.match(response.body.warnings[0], /verification is "none"/);
  });

  it('shows no warning for a listener that verifies its sender', async () => {
    const response = await h.api().post('/listeners', { name: 'signed', verification: { type: 'preset', provider: 'github', secrets: ['gh-secret-123456789'] } });
    assert.equal(response.body.warnings, undefined);
  });

  it('gives every listener a different id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await h.api().post('/listeners', { name: `n${i}` })).body.id);
    assert.equal(ids.size, 5);
  });

  it('fills dedup.windowSeconds with its default of 86400 when only the key is given', async () => {
    const response = await h.api().post('/listeners', { name: 'dedup', dedup: { key: 'header:X-Id' } });
    assert.equal(response.status, 201);
    assert.deepEqual(response.body.dedup, { key: 'header:X-Id', windowSeconds: 86_400 });
  });

  it('names a missing field', async () => {
    const response = await h.api().post('/listeners', { limits: { capacity: 5 } });
    assert.equal(response.status, 400);
    assert.match(response.headers['content-type'], /problem\+json/);
    assert.deepEqual(response.body.errors.map((e: any) => e.path), ['/name']);
  });

  it('names a field of the wrong type', async () => {
    const response = await h.api().post('/listeners', { name: 'x', limits: { capacity: 'lots' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/limits/capacity');
  });

  it('names an unknown field', async () => {
    const response = await h.api().post('/listeners', { name: 'x', colour: 'blue' });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/colour');
    assert.match(response.body.errors[0].message, /not an allowed field/);
  });

  it('checks verifier settings against the plugin schema', async () => {
    const response = await h.api().post('/listeners', { name: 'x', verification: { type: 'hmac', algorithm: 'md5', encoding: 'hex', header: 'X-Sig', keys: ['k'] } });
    assert.equal(response.status, 400);
    assert.ok(response.body.errors.some((e: any) => e.path === '/verification/algorithm'), JSON.stringify(response.body.errors));
  });

  it('refuses an unknown verifier type', async () => {
    const response = await h.api().post('/listeners', { name: 'x', verification: { type: 'telepathy' } });
    assert.equal(response.status, 400);
    assert.ok(response.body.errors.some((e: any) => e.path.startsWith('/verification')));
  });

  it('refuses a template that does not compile, naming the field', async () => {
    const response = await h.api().post('/listeners', { name: 'x', records: { traceKeyTemplate: '{{#if}}' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/records/traceKeyTemplate');
  });

  it('refuses a malformed JSON body with 400', async () => {
    const response = await h.request().post('/api/v1/listeners').set('Authorization', `Bearer ${h.adminKey}`).set('Content-Type', 'application/json').send('{"name":');
    assert.equal(response.status, 400);
    assert.match(response.body.detail, /not valid JSON/);
  });

  it('reads, patches and deletes; a deleted listener is gone from the API and its URL answers 410', async () => {
    const created = (await h.api().post('/listeners', { name: 'to change', limits: { capacity: 10 } })).body;
    const patched = await h.api().patch(`/listeners/${created.id}`, { name: 'changed', limits: { leakPerSecond: 5 } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, 'changed');
    assert.deepEqual(patched.body.limits, { capacity: 10, leakPerSecond: 5 }, 'a patch merges nested objects');
    const badPatch = await h.api().patch(`/listeners/${created.id}`, { parsing: { maxBodyBytes: -1 } });
    assert.equal(badPatch.status, 400);
    assert.equal(badPatch.body.errors[0].path, '/parsing/maxBodyBytes');
    const read = await h.api().get(`/listeners/${created.id}`);
    assert.equal(read.body.name, 'changed');
    assert.equal((await h.api().delete(`/listeners/${created.id}`)).status, 204);
    assert.equal((await h.api().get(`/listeners/${created.id}`)).status, 404);
    const hook = await h.request().post(`/hooks/${created.id}`).send({ a: 1 });
    assert.equal(hook.status, 410);
    assert.equal(hook.body.title, 'Listener deleted');
  });

  it('answers 404 for an unknown listener id', async () => {
    const response = await h.api().get('/listeners/abcdefghijklmnopqrstuvwxyz012345');
    assert.equal(response.status, 404);
  });

  it('pages through listeners with limit, after and nextCursor', async () => {
    const local = await createHarness();
    try {
      for (let i = 0; i < 5; i++) {
        await local.api().post('/listeners', { name: `page ${i}` });
        local.clock.advance(1);
      }
      const first = await local.api().get('/listeners?limit=2');
      assert.equal(first.body.items.length, 2);
      assert.ok(first.body.nextCursor);
      const second = await local.api().get(`/listeners?limit=2&after=${first.body.nextCursor}`);
      const third = await local.api().get(`/listeners?limit=2&after=${second.body.nextCursor}`);
      assert.equal(third.body.items.length, 1);
      assert.equal(third.body.nextCursor, null);
      const names = [...first.body.items, ...second.body.items, ...third.body.items].map((l: any) => l.name);
      assert.deepEqual(names, ['page 0', 'page 1', 'page 2', 'page 3', 'page 4']);
      const badLimit = await local.api().get('/listeners?limit=0');
      assert.equal(badLimit.status, 400);
      assert.equal(badLimit.body.errors[0].path, '/query/limit');
      const badCursor = await local.api().get('/listeners?after=nonsense');
      assert.equal(badCursor.status, 400);
    } finally {
      await local.close();
    }
  });
});
