import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

describe('samples, structure and validation', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  const order = { id: 1001, placedAt: '2026-03-01T10:15:00Z', customer: { email: 'buyer@example.com' }, lines: [{ sku: 'a-1', qty: 2 }] };

  it('answers 409 when there is no sample to derive a structure from', async () => {
    const listener = await createListener(h, {});
    const response = await h.api().post(`/listeners/${listener.id}/structure`, {});
    assert.equal(response.status, 409);
    assert.match(response.body.detail, /no sample/);
  });

  it('derives a schema from the last accepted request, without changing the listener', async () => {
    const listener = await createListener(h, {});
    assert.equal((await h.request().post(hookPath(listener)).send(order)).status, 204);
    const response = await h.api().post(`/listeners/${listener.id}/structure`);
    assert.equal(response.status, 200);
    assert.equal(response.body.applied, false);
    assert.equal(response.body.validationEnabled, false);
    assert.deepEqual(response.body.schema.required, ['id', 'placedAt', 'customer', 'lines']);
    assert.deepEqual(response.body.schema.properties.placedAt, { type: 'string', format: 'date-time' });
    assert.deepEqual(response.body.schema.properties.customer.properties.email, { type: 'string', format: 'email' });
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.validation.schema, null);
  });

  it('takes a sample set by hand, masking credential headers', async () => {
    const listener = await createListener(h, { verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: ['k-123456'] } });
    const put = await h.api().put(`/listeners/${listener.id}/sample`, {
      body: { event: 'created', count: 2 },
      headers: { 'X-Signature': 'abc123def', Authorization: 'Bearer t', 'X-Event': 'created' },
    });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.headers, { 'X-Signature': '****', Authorization: '****', 'X-Event': 'created' });
    assert.equal(put.body.receivedAt, new Date(h.clock.now()).toISOString());
    const read = await h.api().get(`/listeners/${listener.id}/sample`);
    assert.deepEqual(read.body.body, { event: 'created', count: 2 });
    const structure = await h.api().post(`/listeners/${listener.id}/structure`, {});
    assert.deepEqual(structure.body.schema.properties, { event: { type: 'string' }, count: { type: 'integer' } });
  });

  it('refuses a sample without a body, naming the field', async () => {
    const listener = await createListener(h, {});
    const response = await h.api().put(`/listeners/${listener.id}/sample`, { headers: {} });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/body');
  });

  it('stores the derived schema with apply, replacing an older one entirely', async () => {
    const listener = await createListener(h, {});
    await h.api().put(`/listeners/${listener.id}/sample`, { body: { legacy: 'x', id: 1 } });
    assert.equal((await h.api().post(`/listeners/${listener.id}/structure`, { apply: true })).status, 200);
    await h.api().put(`/listeners/${listener.id}/sample`, { body: order });
    const applied = await h.api().post(`/listeners/${listener.id}/structure`, { apply: true });
    assert.equal(applied.body.applied, true);
    const stored = (await h.api().get(`/listeners/${listener.id}`)).body.validation;
    assert.deepEqual(stored, { enabled: false, schema: applied.body.schema });
    assert.equal(stored.schema.properties.legacy, undefined);
  });

  it('refuses a structure body it does not understand', async () => {
    const listener = await createListener(h, {});
    const response = await h.api().post(`/listeners/${listener.id}/structure`, { apply: 'yes' });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/apply');
  });

  describe('with validation enabled', () => {
    let listener: any;
    before(async () => {
      listener = await createListener(h, {});
      await h.api().put(`/listeners/${listener.id}/sample`, { body: order });
      await h.api().post(`/listeners/${listener.id}/structure`, { apply: true });
      const enabled = await h.api().patch(`/listeners/${listener.id}`, { validation: { enabled: true } });
      assert.equal(enabled.status, 200);
    });

    it('accepts a body of the derived shape', async () => {
      const other = { ...order, id: 2002, lines: [{ sku: 'b', qty: 1 }, { sku: 'c', qty: 5 }] };
      assert.equal((await h.request().post(hookPath(listener)).send(other)).status, 204);
    });

    it('answers 400 Validation failed listing every path that does not conform', async () => {
      const wrong = { id: 'not-a-number', placedAt: 'yesterday', customer: {}, lines: [{ sku: 'a', qty: 1.5 }] };
      const response = await h.request().post(hookPath(listener)).send(wrong);
      assert.equal(response.status, 400);
      assert.equal(response.body.title, 'Validation failed');
      assert.match(response.headers['content-type'], /application\/problem\+json/);
      const byPath = Object.fromEntries(response.body.errors.map((e: any) => [e.path, e.message]));
      assert.deepEqual(Object.keys(byPath).sort(), ['/customer/email', '/id', '/lines/0/qty', '/placedAt']);
      assert.equal(byPath['/customer/email'], 'is required');
      assert.equal(byPath['/id'], 'must be integer');
      assert.equal(byPath['/placedAt'], 'must be an ISO-8601 date-time with a time zone, e.g. 2026-01-31T00:00:00Z');
      assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 1, 'nothing of the refused request was queued');
    });

    it('answers 400 for a missing top-level key, naming it', async () => {
      const { lines: _lines, ...withoutLines } = order;
      const response = await h.request().post(hookPath(listener)).send(withoutLines);
      assert.equal(response.status, 400);
      assert.deepEqual(response.body.errors, [{ path: '/lines', message: 'is required' }]);
    });
  });
});
