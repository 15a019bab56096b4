import assert from 'node:assert/strict';
import { hmacVerifier } from '../../../plugins/verifiers/hmac';
import { presetBaseVerification, presetVerifier } from '../../../plugins/verifiers/preset';
import { PRESETS } from '../../../plugins/verifiers/presets';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { FIXED_NOW, FIXED_SECONDS, makeContext, signMeta, signShopify, signSquare, signZoom } from './fixtures';

const verify = (config: PresetConfig, options: Parameters<typeof makeContext>[0]) => presetVerifier.verify(makeContext(options), config);

describe('presets over the hmac verifier', () => {
  it('express shopify, meta, slack, zoom, square and github as data, not code', () => {
    for (const name of ['github', 'shopify', 'meta', 'slack', 'zoom', 'square']) assert.equal(PRESETS[name]!.scheme, 'hmac', name);
  });

  it("fix hmac settings that pass the hmac verifier's own check (a timestamp header is signed, not only sent)", () => {
    const hmacPresets = Object.values(PRESETS).filter((preset) => preset.scheme === 'hmac');
    assert.ok(hmacPresets.some((preset) => preset.settings.timestampHeader !== undefined), 'some preset sends a timestamp header');
    for (const preset of hmacPresets) {
      const secret = preset.settings.secretEncoding === 'hex' ? 'abcd' : 'c2VjcmV0';
      const config: PresetConfig = { type: 'preset', provider: preset.name, secrets: [{ value: secret }] };
      assert.deepEqual(hmacVerifier.check!(presetBaseVerification(preset, config).config as never), [], preset.name);
    }
  });

  it('refuse settings that do not apply to the provider', () => {
    const github: PresetConfig = { type: 'preset', provider: 'github', secrets: [{ value: 's' }] };
    assert.deepEqual(presetVerifier.check!({ ...github, publicUrl: 'https://x.example/' }), [{ path: '/publicUrl', message: 'does not apply to provider github' }]);
  });
});

describe('shopify preset', () => {
  const config: PresetConfig = { type: 'preset', provider: 'shopify', secrets: [{ value: 'shpss_client_secret' }] };
  const body = '{"id":820982911946154508,"email":"jon@example.com"}';

  it('accepts a delivery signed as Shopify documents it (base64) and refuses another body', async () => {
    const headers = signShopify({ secret: 'shpss_client_secret', body });
    assert.deepEqual(await verify(config, { body, headers }), { ok: true });
    assert.equal((await verify(config, { body: body.replace('jon', 'ann'), headers })).ok, false);
  });

  it('refuses a hex signature where Shopify sends base64', async () => {
    const hex = Buffer.from(signShopify({ secret: 'shpss_client_secret', body })['x-shopify-hmac-sha256']!, 'base64').toString('hex');
    assert.equal((await verify(config, { body, headers: { 'x-shopify-hmac-sha256': hex } })).ok, false);
  });

  it('dedups on X-Shopify-Webhook-Id', () => {
    assert.equal(presetVerifier.defaultDedupKey!(config), 'header:X-Shopify-Webhook-Id');
  });
});

describe('meta preset', () => {
  const config: PresetConfig = { type: 'preset', provider: 'meta', secrets: [{ value: 'app-secret' }], verifyToken: 'my-verify-token' };
  const body = '{"object":"page","entry":[]}';

  it('accepts a payload signed with the app secret and refuses another secret', async () => {
    assert.deepEqual(await verify(config, { body, headers: signMeta({ appSecret: 'app-secret', body }) }), { ok: true });
    assert.equal((await verify(config, { body, headers: signMeta({ appSecret: 'other', body }) })).ok, false);
  });

  it('requires a verify token and builds the subscription handshake from it', () => {
    assert.deepEqual(presetVerifier.check!({ ...config, verifyToken: undefined }), [{ path: '/verifyToken', message: 'is required for provider meta' }]);
    const [rule] = presetVerifier.handshakes!(config);
    assert.deepEqual(rule!.when.find((condition) => condition.path === "$.query['hub.verify_token']"), { path: "$.query['hub.verify_token']", equals: 'my-verify-token' });
    assert.equal(rule!.verify, undefined);
  });

  it('masks the verify token in the query and has no dedup key', () => {
    assert.deepEqual(presetVerifier.sensitiveQuery!(config), ['hub.verify_token']);
    assert.equal(presetVerifier.defaultDedupKey!(config), undefined);
  });
});

describe('zoom preset', () => {
  const config: PresetConfig = { type: 'preset', provider: 'zoom', secrets: [{ value: 'zoom-secret-token' }] };
  const body = '{"event":"meeting.started","payload":{"account_id":"a"},"event_ts":1768478400000}';

  it('accepts a notification signed as Zoom documents it', async () => {
    const headers = signZoom({ secretToken: 'zoom-secret-token', body, timestamp: FIXED_SECONDS });
    assert.deepEqual(await verify(config, { body, headers }), { ok: true });
  });

  it('refuses a stale notification and a changed body', async () => {
    const stale = signZoom({ secretToken: 'zoom-secret-token', body, timestamp: FIXED_SECONDS - 600 });
    assert.deepEqual(await verify(config, { body, headers: stale }), { ok: false, reason: 'timestamp is 600 s old, outside the 300 s tolerance' });
    const headers = signZoom({ secretToken: 'zoom-secret-token', body, timestamp: FIXED_SECONDS });
    assert.equal((await verify(config, { body: body.replace('started', 'ended'), headers })).ok, false);
  });

  it('answers endpoint.url_validation after verification', () => {
    const [rule] = presetVerifier.handshakes!(config);
    assert.equal(rule!.verify, true);
    assert.deepEqual(rule!.when[1], { path: '$.body.event', equals: 'endpoint.url_validation' });
  });
});

describe('square preset', () => {
  const notificationUrl = 'https://example.com/square/webhooks';
  const config: PresetConfig = { type: 'preset', provider: 'square', secrets: [{ value: 'square-signature-key' }], publicUrl: notificationUrl };
  const body = '{"merchant_id":"M","type":"payment.updated","event_id":"e-1"}';
  const headers = signSquare({ signatureKey: 'square-signature-key', notificationUrl, body });

  it('accepts a notification signed over the configured notification URL and the body', async () => {
    assert.deepEqual(await verify(config, { body, headers, url: 'http://hookport.internal/hooks/x' }), { ok: true });
  });

  it('uses the URL the request came to when no publicUrl is configured', async () => {
    const withoutPublicUrl: PresetConfig = { type: 'preset', provider: 'square', secrets: config.secrets };
    assert.equal((await verify(withoutPublicUrl, { body, headers, url: 'http://hookport.internal/hooks/x' })).ok, false);
    assert.deepEqual(await verify(withoutPublicUrl, { body, headers, url: notificationUrl }), { ok: true });
  });

  it('signs over publicUrl exactly like the fixture and dedups on event_id', () => {
    const signed = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from(body) }, config, FIXED_NOW, 'https://hooks.example.com/hooks/x');
    assert.deepEqual(signed.headers, headers);
    assert.equal(presetVerifier.defaultDedupKey!(config), 'jsonpath:$.event_id');
  });
});
