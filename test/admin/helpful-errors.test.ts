import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

describe('errors that say what to do', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(() => h.close());

  it('an unknown listener URL says how listener URLs look and that ids are case-sensitive', async () => {
    const listener = await createListener(h, {});
    const response = await h.request().post(`/hooks/${listener.id.toUpperCase()}`).send({ a: 1 });
    assert.equal(response.status, 404);
    assert.equal(response.body.title, 'No listener at this URL');
    assert.match(response.body.detail, /\/hooks\/\{id\}/);
    assert.match(response.body.detail, /32 lowercase letters and digits/);
    assert.match(response.body.detail, /case-sensitive/);
  });

  it('a webhook POSTed to /api/v1/listeners/{id} is pointed to /hooks/{id}', async () => {
    const listener = await createListener(h, {});
    const response = await h.request().post(`/api/v1/listeners/${listener.id}`).set('Content-Type', 'application/json').send({ order: 1 });
    assert.ok([404, 405].includes(response.status), String(response.status));
    assert.match(response.body.detail, new RegExp(`POST it to the listener's url, /hooks/${listener.id}`));
    // the hint is for webhooks only: an unknown admin path keeps its plain answer
    const other = await h.request().post('/api/v1/nothing-here').send({});
    assert.doesNotMatch(other.body.detail, /hooks/);
  });

  it('a misplaced field names where it belongs', async () => {
    const response = await h.api().post('/listeners', { name: 'x', resourcePath: '$.orders[*]' });
    assert.equal(response.status, 400);
    const error = response.body.errors.find((e: any) => e.path === '/resourcePath');
    assert.equal(error.message, 'is not an allowed field here; did you mean records.resourcePath?');
    // a name that exists nowhere keeps the short message
    const unknown = await h.api().post('/listeners', { name: 'x', colour: 'blue' });
    assert.equal(unknown.body.errors.find((e: any) => e.path === '/colour').message, 'is not an allowed field');
  });

  it('a Handlebars syntax error names the field, line and column in words', async () => {
    const response = await h.api().post('/listeners', { name: 'x', records: { traceKeyTemplate: 'order-{{id}' } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/records/traceKeyTemplate');
    assert.equal(response.body.errors[0].message, 'does not compile: line 1, column 11: a {{…}} is not closed with }}');
    assert.doesNotMatch(response.body.detail, /Expecting|-\^/, 'no raw parser text');
  });

  it('accepts headers as a list or as an object everywhere', async () => {
    const imported = await h.api().post('/imports', { name: 'erp', url: 'https://erp.example/x', headers: { 'X-Tenant': 'acme' } });
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    assert.deepEqual(imported.body.headers, [{ name: 'X-Tenant', value: 'acme', private: false }]);
    const privateOne = await h.api().post('/imports', {
      name: 'erp', url: 'https://erp.example/x', headers: { Authorization: { value: 'Bearer erp-token', private: true } },
    });
    assert.equal(privateOne.body.headers[0].value, '****oken');

    const listener = await h.api().post('/listeners', { name: 'x', response: { headers: [{ name: 'X-Received', value: '{{recordCount}}' }] } });
    assert.equal(listener.status, 201, JSON.stringify(listener.body));
    assert.deepEqual(listener.body.response.headers, { 'X-Received': '{{recordCount}}' });
    const answer = await h.request().post(hookPath(listener.body)).send([{ id: 1 }, { id: 2 }]);
    assert.equal(answer.headers['x-received'], '2');

    const handshake = await h.api().post('/listeners', { name: 'y', handshake: [{
      when: [{ path: '$.body.type', equals: 'ping' }], respond: { status: 200, type: 'text', headers: [{ name: 'X-Pong', value: 'yes' }], body: 'pong' },
    }] });
    assert.equal(handshake.status, 201, JSON.stringify(handshake.body));
    assert.deepEqual(handshake.body.handshake[0].respond.headers, { 'X-Pong': 'yes' });

    const connection = await h.api().post('/connections', { name: 'erp', baseUrl: 'https://erp.example', headers: { 'X-Tenant': 'acme' } });
    assert.equal(connection.status, 201, JSON.stringify(connection.body));
    assert.equal(connection.body.headers[0].name, 'X-Tenant');
  });

  it('warns in the reply when a secret’s expiresAt is already past', async () => {
    const past = new Date(h.clock.now() - 60_000).toISOString();
    const response = await h.api().post('/listeners', {
      name: 'x', verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: ['current-key-1', { value: 'old-key-0001', expiresAt: past }] },
    });
    assert.equal(response.status, 201);
    const warning = (response.body.warnings ?? []).find((text: string) => text.includes('/verification/keys/1'));
    assert.ok(warning, JSON.stringify(response.body.warnings));
    assert.match(warning, /is already past/);
    const future = new Date(h.clock.now() + 86_400_000).toISOString();
    const fine = await h.api().patch(`/listeners/${response.body.id}`, { verification: { keys: ['current-key-1', { value: '****0001', expiresAt: future }] } });
    assert.equal(fine.status, 200, JSON.stringify(fine.body));
    assert.equal(fine.body.warnings, undefined);
  });
});
