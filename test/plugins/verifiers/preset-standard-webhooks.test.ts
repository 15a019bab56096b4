import assert from 'node:assert/strict';
import { presetVerifier } from '../../../plugins/verifiers/preset';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { makeContext, signStandardWebhooks, STANDARD_WEBHOOKS_VECTOR as VECTOR } from './fixtures';
const NOW = VECTOR.timestamp * 1000;
const config: PresetConfig = { type: 'preset', provider: 'standard-webhooks', secrets: [{ value: VECTOR.secret }] };
const svixConfig: PresetConfig = { ...config, provider: 'svix' };
const vectorHeaders = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };

async function verify(headers: Record<string, string>, options: { body?: string; now?: number; config?: PresetConfig } = {}) {
  return presetVerifier.verify(makeContext({ body: options.body ?? VECTOR.body, headers, now: options.now ?? NOW }), options.config ?? config);
}

describe('standard-webhooks preset', () => {
  it('accepts the published test vector', async () => {
    assert.deepEqual(await verify(vectorHeaders), { ok: true });
  });

  it('agrees with the independent fixture on the vector', () => {
    assert.equal(signStandardWebhooks({ ...VECTOR })['webhook-signature'], VECTOR.signature);
  });

  it('accepts when one of several space-separated signatures matches, ignoring other versions', async () => {
    const headers = { ...vectorHeaders, 'webhook-signature': `v1a,c29tZXRoaW5n v1,bm9wZQ== ${VECTOR.signature}` };
    assert.deepEqual(await verify(headers), { ok: true });
  });

  it('refuses a changed body, id or secret', async () => {
    assert.equal((await verify(vectorHeaders, { body: '{"test": 2432232315}' })).ok, false);
    assert.equal((await verify({ ...vectorHeaders, 'webhook-id': 'msg_other' })).ok, false);
    const other = { ...config, secrets: [{ value: 'whsec_' + Buffer.from('another key').toString('base64') }] };
    assert.equal((await verify(vectorHeaders, { config: other })).ok, false);
  });

  it('refuses a timestamp more than five minutes away, and missing headers, with precise reasons', async () => {
    assert.deepEqual(await verify(vectorHeaders, { now: NOW + 301_000 }), { ok: false, reason: 'timestamp is 301 s old, outside the 300 s tolerance' });
    assert.deepEqual(await verify(vectorHeaders, { now: NOW - 301_000 }), { ok: false, reason: 'timestamp is 301 s in the future, outside the 300 s tolerance' });
    assert.deepEqual(await verify({ 'webhook-timestamp': '1614265330', 'webhook-signature': VECTOR.signature }), { ok: false, reason: 'missing webhook-id header' });
    assert.deepEqual(await verify({ ...vectorHeaders, 'webhook-signature': 'v2,abc' }), { ok: false, reason: 'webhook-signature has no v1 signature' });
  });

  it('also reads Svix header names, and the svix preset does too', async () => {
    const svixHeaders = signStandardWebhooks({ ...VECTOR, prefix: 'svix' });
    assert.equal(svixHeaders['svix-signature'], VECTOR.signature);
    assert.deepEqual(await verify(svixHeaders), { ok: true });
    assert.deepEqual(await verify(svixHeaders, { config: svixConfig }), { ok: true });
    assert.deepEqual(await verify(vectorHeaders, { config: svixConfig }), { ok: true });
  });

  it('dedups on the message id header of each family', () => {
    assert.equal(presetVerifier.defaultDedupKey!(config), 'header:webhook-id');
    assert.equal(presetVerifier.defaultDedupKey!(svixConfig), 'header:svix-id');
  });

  it('round-trips sign and verify, keeping a given message id', async () => {
    const signed = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: { 'webhook-id': VECTOR.id }, body: Buffer.from(VECTOR.body) }, config, NOW, 'https://x');
    assert.deepEqual(signed.headers, vectorHeaders);
    const fresh = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from('{}') }, svixConfig, NOW, 'https://x');
    assert.match(fresh.headers['svix-id']!, /^msg_[0-9a-f]{24}$/);
    assert.deepEqual(await verify(fresh.headers, { body: '{}', config: svixConfig }), { ok: true });
  });

  it('refuses a secret that is not whsec_ + base64 when the listener is saved', () => {
    const errors = presetVerifier.check!({ ...config, secrets: [{ value: VECTOR.secret }, { value: 'whsec_not base64!' }] });
    assert.deepEqual(errors.map((error) => error.path), ['/secrets/1']);
  });
});
