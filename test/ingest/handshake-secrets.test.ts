import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

const HMAC_KEY = 'hmac-key-very-secret-0001';
const verification = { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Sig', keys: [HMAC_KEY] };

describe('handshake rules and the listener secret', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('refuses to save a rule answered before verification that reads the secret', async () => {
    const leak = await h.api().post('/listeners', {
      name: 'leak',
      verification,
      handshake: [{ when: [{ path: '$.query.leak', exists: true }], respond: { status: 200, type: 'text', body: '{{secret}}' } }],
    });
    assert.equal(leak.status, 400);
    assert.equal(leak.body.errors[0].path, '/handshake/0/respond/body');
    const signer = await h.api().post('/listeners', {
      name: 'signing oracle',
      verification,
      handshake: [{ when: [{ path: '$.query.x', exists: true }], respond: { status: 200, type: 'json', headers: { 'X-Mac': '{{hmac "sha256" secret query.x "hex"}}' } } }],
    });
    assert.equal(signer.status, 400);
    assert.equal(signer.body.errors[0].path, '/handshake/0/respond/headers/X-Mac');
  });

  it('lets a rule with verify: true use the secret, and answers only a verified request', async () => {
    const listener = await createListener(h, {
      verification,
      handshake: [{ when: [{ path: '$.body.type', equals: 'challenge' }], verify: true, respond: { status: 200, type: 'json', body: { mac: '{{hmac "sha256" secret body.value "hex"}}' } } }],
    });
    const unsigned = await h.request().post(hookPath(listener)).send({ type: 'challenge', value: 'abc' });
    assert.equal(unsigned.status, 401);
    assert.ok(!unsigned.text.includes(HMAC_KEY));
    const crypto = await import('node:crypto');
    const body = JSON.stringify({ type: 'challenge', value: 'abc' });
    const signed = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
      .set('X-Sig', crypto.createHmac('sha256', HMAC_KEY).update(body).digest('hex')).send(body);
    assert.equal(signed.status, 200);
    assert.equal(signed.body.mac, crypto.createHmac('sha256', HMAC_KEY).update('abc').digest('hex'));
  });
});
