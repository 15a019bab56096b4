import assert from 'node:assert/strict';
import { startDestination, type Destination } from '../flows/destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from '../flows/delivery-setup';
import { hookPath } from '../helpers/harness';

describe('records.output mapping', function () {
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

  const output = {
    orderId: '{{record.id}}',
    total: '{{record.amount}}',
    paid: '{{record.paid}}',
    customer: '{{record.customer}}',
    tags: '{{record.tags}}',
    gift: '{{record.gift}}',
    label: 'Order {{record.id}} for {{record.customer.name}}',
    shop: '{{body.shop}}',
    source: '{{headers.x-shop-domain}}',
    method: '{{method}}',
    key: '{{traceKey}}',
    at: '{{now}}',
    lines: ['{{record.amount}}', 'fixed', 3],
  };

  it('maps every record before paging, keeping the JSON type of a string that is exactly one {{expression}}', async () => {
    const listener = await noneListener(h, { records: { resourcePath: '$.orders[*]', traceKeyTemplate: 'order-{{id}}', output } });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    const body = {
      shop: 'acme',
      orders: [
        { id: 1001, amount: 12.5, paid: true, customer: { name: 'Ada', vip: false }, tags: ['a', 'b'], gift: null },
        { id: 1002, amount: 0, paid: false, customer: { name: 'Bo' }, tags: [], gift: null },
      ],
    };
    await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set('X-Shop-Domain', 'acme.example').send(body).expect(204);
    const [received] = await dest.waitFor(1);
    await drained(h, flow.id);
    const [first, second] = received!.json as any[];
    assert.deepEqual(first, {
      orderId: 1001, total: 12.5, paid: true, customer: { name: 'Ada', vip: false }, tags: ['a', 'b'], gift: null,
      label: 'Order 1001 for Ada', shop: 'acme', source: 'acme.example', method: 'POST', key: 'order-1001',
      at: '2026-11-01T12:00:00.000Z', lines: [12.5, 'fixed', 3],
    });
    assert.equal(second.total, 0, 'a zero stays a number');
    assert.equal(second.paid, false);
    assert.deepEqual(second.tags, []);
  });

  it('passes records as they are without output', async () => {
    const listener = await noneListener(h);
    await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await sendHook(h, listener, [{ id: 1, amount: '12.50' }]).expect(204);
    const [received] = await dest.waitFor(1);
    assert.deepEqual(received!.json, [{ id: 1, amount: '12.50' }]);
  });

  it('makes a record whose mapping fails an error with its trace key, delivers the others, and never answers 500', async () => {
    const listener = await noneListener(h, {
      records: { traceKeyTemplate: '{{sku}}', output: { sku: '{{required record.sku}}', signature: '{{hmac "sha256" record.key record.sku}}' } },
    });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    const response = await sendHook(h, listener, [
      { sku: 'A-1', key: 'k1' },
      { key: 'k2', name: 'no sku' },
      { sku: 'C-3' },
    ]);
    assert.equal(response.status, 204);
    const [received] = await dest.waitFor(1);
    await drained(h, flow.id);
    assert.deepEqual((received!.json as any[]).map((r) => r.sku), ['A-1']);
    const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    const mapping = errors.filter((e: any) => e.kind === 'mapping');
    assert.equal(mapping.length, 2);
    assert.match(mapping[0].message, /required value is missing/);
    assert.match(mapping[1].message, /hmac: the key is missing/);
    assert.equal(mapping[1].traceKeys[0], 'C-3', 'the error carries the record’s trace key');
    assert.equal(mapping[0].recordIndexes[0], 1);
  });

  it('still answers 2xx and records every error when no record maps', async () => {
    const listener = await noneListener(h, { records: { output: { id: '{{required record.id}}' } } });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    await sendHook(h, listener, [{ name: 'a' }, { name: 'b' }]).expect(204);
    await drained(h, flow.id);
    const errors = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal(errors.length, 2);
    assert.ok(errors.every((e: any) => e.kind === 'mapping'));
    assert.equal(dest.received.length, 0);
  });

  it('refuses a mapping that does not compile when the listener is saved, naming where', async () => {
    const response = await h.api().post('/listeners', { name: 'bad', records: { output: { a: { b: '{{#if}}' }, c: '{{nohelper x}}' } } });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body.errors.map((e: any) => e.path), ['/records/output/a/b', '/records/output/c']);
  });

  it('shows the mapped shape in the sample and structure, and POST /flows/{id}/test sends it', async () => {
    const listener = await noneListener(h, { records: { resourcePath: '$.items[*]', output: { sku: '{{record.code}}', qty: '{{record.count}}' } } });
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false });
    await h.api().put(`/listeners/${listener.id}/sample`, { body: { items: [{ code: 'X', count: 2 }, { code: 'Y', count: 5 }] } }).expect(200);
    const sample = await h.api().get(`/listeners/${listener.id}/sample`).expect(200);
    assert.deepEqual(sample.body.records, [{ sku: 'X', qty: 2 }, { sku: 'Y', qty: 5 }]);
    assert.deepEqual(sample.body.body.items[0], { code: 'X', count: 2 }, 'the request itself is kept as sent');
    const structure = await h.api().post(`/listeners/${listener.id}/structure`).expect(200);
    assert.equal(structure.body.recordSchema.properties.qty.type, 'integer');
    assert.equal(structure.body.recordSchema.properties.sku.type, 'string');
    const tested = await h.api().post(`/flows/${flow.id}/test`).expect(200);
    assert.equal(tested.body.imports[0].status, 'ok');
    const [received] = await dest.waitFor(1);
    assert.deepEqual(received!.json, [{ sku: 'X', qty: 2 }, { sku: 'Y', qty: 5 }]);
  });
});
