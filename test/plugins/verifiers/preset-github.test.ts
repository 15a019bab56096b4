import assert from 'node:assert/strict';
import { presetBaseVerification, presetVerifier } from '../../../plugins/verifiers/preset';
import { githubPreset } from '../../../plugins/verifiers/presets/github';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { FIXED_NOW, makeContext, signGitHub } from './fixtures';

const config: PresetConfig = { type: 'preset', provider: 'github', secrets: [{ value: "It's a Secret to Everybody" }] };

describe('github preset', () => {
  it('accepts the documented test vector', async () => {
    const context = makeContext({
      body: 'Hello, World!',
      headers: { 'X-Hub-Signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' },
    });
    assert.deepEqual(await presetVerifier.verify(context, config), { ok: true });
  });

  it('accepts a delivery signed as GitHub documents it and refuses a changed body or another secret', async () => {
    const body = '{"zen":"Keep it logically awesome.","hook_id":1}';
    const headers = signGitHub({ secret: "It's a Secret to Everybody", body });
    assert.deepEqual(await presetVerifier.verify(makeContext({ body, headers }), config), { ok: true });
    assert.equal((await presetVerifier.verify(makeContext({ body: `${body} `, headers }), config)).ok, false);
    const other = signGitHub({ secret: 'another secret', body });
    assert.equal((await presetVerifier.verify(makeContext({ body, headers: other }), config)).ok, false);
  });

  it('is the generic hmac verifier with fixed settings, not a copy of it', () => {
    assert.equal(githubPreset.scheme, 'hmac');
    assert.deepEqual(presetBaseVerification(githubPreset, config).config, {
      type: 'hmac',
      algorithm: 'sha256',
      encoding: 'hex',
      header: 'x-hub-signature-256',
      prefix: 'sha256=',
      keys: config.secrets,
    });
  });

  it('signs like GitHub, dedups on X-GitHub-Delivery and masks both signature headers', () => {
    const signed = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from('Hello, World!') }, config, FIXED_NOW, 'https://x');
    assert.equal(signed.headers['x-hub-signature-256'], 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    assert.equal(presetVerifier.defaultDedupKey!(config), 'header:X-GitHub-Delivery');
    assert.deepEqual(presetVerifier.sensitiveHeaders(config), ['x-hub-signature-256', 'x-hub-signature']);
    assert.deepEqual(presetVerifier.handshakes!(config), []);
  });
});
