/**
 * Signed deliveries, checked the way a destination would: with the
 * `standardwebhooks` reference library (npm), not with hookport's own code.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ManualClock } from '../../lib/clock';
import { failTimes, startDestination, type Destination, type Received } from '../flows/destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from '../flows/delivery-setup';

const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

/** Verifies like a destination with `secret` would; returns the parsed body, throws when it does not verify. */
function verifyAt(secret: string, request: Received): unknown {
  const headers = {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  };
  return new Webhook(secret).verify(request.body, headers);
}

describe('signed deliveries (Standard Webhooks)', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    // The reference library checks the timestamp against the real clock: start the injected clock there.
    h = await deliveryHarness({ clock: new ManualClock(Date.now()) });
    dest = await startDestination();
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  async function signedFlow(signing: Record<string, unknown>, importSettings: Record<string, unknown> = {}) {
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url, signing, ...importSettings });
    const flow = await createFlow(h, listener.id, [imp.id]);
    return { listener, imp, flow };
  }

  it('signs every delivery so the standardwebhooks library verifies it, with the idempotency key as webhook-id', async () => {
    const secret = newSecret();
    const { listener, imp, flow } = await signedFlow({ scheme: 'standard-webhooks', secrets: [secret] });
    assert.deepEqual(imp.signing, { scheme: 'standard-webhooks', secrets: [`****${secret.slice(-4)}`] }, 'the secret is masked in the reply');
    await sendHook(h, listener, [{ id: 1 }, { id: 2 }]);
    await dest.waitFor(1);
    await drained(h, flow.id);
    const [request] = dest.received;
    assert.deepEqual(verifyAt(secret, request!), [{ id: 1 }, { id: 2 }]);
    assert.equal(request!.headers['webhook-id'], request!.headers['idempotency-key']);
    assert.equal(request!.headers['webhook-timestamp'], String(Math.floor(h.clock.now() / 1000)));
    assert.throws(() => verifyAt(newSecret(), request!), /No matching signature/, 'another secret does not verify');
    assert.throws(() => verifyAt(secret, { ...request!, body: '[{"id":1}]' }), /No matching signature/, 'a changed body does not verify');
  });

  it('keeps verifying through a rotation: both secrets sign while two are listed', async () => {
    const old = newSecret();
    const { listener, imp, flow } = await signedFlow({ scheme: 'standard-webhooks', secrets: [old] });
    const next = newSecret();
    const rotated = await h.api().patch(`/imports/${imp.id}`, { signing: { scheme: 'standard-webhooks', secrets: [imp.signing.secrets[0], next] } });
    assert.equal(rotated.status, 200);
    assert.deepEqual(rotated.body.signing.secrets, [`****${old.slice(-4)}`, `****${next.slice(-4)}`], 'the masked value kept the stored secret');
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    const during = dest.received[0]!;
    assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
    assert.deepEqual(verifyAt(old, during), [{ id: 1 }], 'a destination still on the old secret verifies');
    assert.deepEqual(verifyAt(next, during), [{ id: 1 }], 'a destination already on the new secret verifies');

    await h.api().patch(`/imports/${imp.id}`, { signing: { scheme: 'standard-webhooks', secrets: [`****${next.slice(-4)}`] } });
    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(2);
    await drained(h, flow.id);
    const after = dest.received[1]!;
    assert.deepEqual(verifyAt(next, after), [{ id: 2 }]);
    assert.throws(() => verifyAt(old, after), /No matching signature/, 'the retired secret no longer verifies');
  });

  it('signs each try anew: a retry carries the same webhook-id and its own timestamp', async () => {
    dest.setReply(failTimes(1));
    const secret = newSecret();
    const { listener, flow } = await signedFlow({ scheme: 'standard-webhooks', secrets: [secret] }, { retry: { delays: [2] } });
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(2);
    await drained(h, flow.id);
    const [first, retry] = dest.received;
    assert.equal(retry!.headers['webhook-id'], first!.headers['webhook-id']);
    assert.equal(Number(retry!.headers['webhook-timestamp']) - Number(first!.headers['webhook-timestamp']), 2);
    assert.deepEqual(verifyAt(secret, retry!), [{ id: 1 }]);
  });

  it('generates a secret when none is given, shows it once, and seals it at rest', async () => {
    const { listener, imp, flow } = await signedFlow({ scheme: 'standard-webhooks' });
    const [generated] = imp.generatedSecrets;
    assert.match(generated, /^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = (await h.api().get(`/imports/${imp.id}`)).body;
    assert.equal(read.generatedSecrets, undefined);
    assert.deepEqual(read.signing.secrets, [`****${generated.slice(-4)}`]);
    const stored = JSON.stringify(await h.services.store.imports.get(imp.id));
    assert.equal(stored.includes(generated.slice(6)), false, 'the stored import holds no clear secret');
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    await drained(h, flow.id);
    assert.deepEqual(verifyAt(generated, dest.received[0]!), [{ id: 1 }]);
  });

  it('refuses a secret that is not whsec_ and base64 of 24 to 64 bytes, naming it', async () => {
    for (const bad of ['plain-secret', 'whsec_not*base64', `whsec_${randomBytes(8).toString('base64')}`]) {
      const response = await h.api().post('/imports', { name: 'x', url: dest.url, signing: { scheme: 'standard-webhooks', secrets: [bad] } });
      assert.equal(response.status, 400, bad);
      assert.match(JSON.stringify(response.body), /signing\/secrets\/0/);
    }
    const unknown = await h.api().post('/imports', { name: 'x', url: dest.url, signing: { scheme: 'hmac-sha1', secrets: [] } });
    assert.equal(unknown.status, 400);
  });
});
