import assert from 'node:assert/strict';
import { presetVerifier } from '../../../plugins/verifiers/preset';
import { togglePort, twilioParamString } from '../../../plugins/verifiers/presets/twilio';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { FIXED_NOW, makeContext, signTwilio, signTwilioJson } from './fixtures';

// The example in https://www.twilio.com/docs/usage/webhooks/webhooks-security
const DOC_TOKEN = '12345';
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const DOC_PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675310', Digits: '1234', From: '+14158675310', To: '+18005551212' };
const DOC_SIGNATURE = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const config: PresetConfig = { type: 'preset', provider: 'twilio', secrets: [{ value: DOC_TOKEN }] };
const formBody = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function verify(options: { url: string; body: string; headers: Record<string, string>; config?: PresetConfig }) {
  return presetVerifier.verify(makeContext({ url: options.url, body: options.body, headers: options.headers }), options.config ?? config);
}

describe('twilio preset', () => {
  it("accepts the example from Twilio's security docs (form POST)", async () => {
    assert.deepEqual(await verify({ url: DOC_URL, body: formBody(DOC_PARAMS), headers: { ...FORM, 'X-Twilio-Signature': DOC_SIGNATURE } }), { ok: true });
  });

  it('does not depend on the order of the form parameters', async () => {
    const reversed = new URLSearchParams(Object.entries(DOC_PARAMS).reverse()).toString();
    assert.deepEqual(await verify({ url: DOC_URL, body: reversed, headers: { ...FORM, 'x-twilio-signature': DOC_SIGNATURE } }), { ok: true });
  });

  it('refuses a changed parameter, a changed query and another token', async () => {
    const headers = { ...FORM, 'x-twilio-signature': DOC_SIGNATURE };
    assert.equal((await verify({ url: DOC_URL, body: formBody({ ...DOC_PARAMS, Digits: '9999' }), headers })).ok, false);
    assert.equal((await verify({ url: DOC_URL.replace('bar=2', 'bar=3'), body: formBody(DOC_PARAMS), headers })).ok, false);
    const other = { ...config, secrets: [{ value: '54321' }] };
    assert.equal((await verify({ url: DOC_URL, body: formBody(DOC_PARAMS), headers, config: other })).ok, false);
  });

  it('accepts the JSON-body vector of twilio-node (bodySHA256 in the URL, URL signed alone)', async () => {
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
    const headers = { 'content-type': 'application/json', 'x-twilio-signature': 'a9nBmqA0ju/hNViExpshrM61xv4=' };
    assert.deepEqual(await verify({ url, body: '{"property": "value", "boolean": true}', headers }), { ok: true });
    assert.deepEqual(await verify({ url, body: '{"property": "evil", "boolean": true}', headers }), { ok: false, reason: 'bodySHA256 in the URL does not match the body' });
  });

  it('refuses a JSON body that no bodySHA256 binds', async () => {
    const headers = { 'content-type': 'application/json', ...signTwilio({ authToken: DOC_TOKEN, url: DOC_URL }) };
    assert.deepEqual(await verify({ url: DOC_URL, body: '{"a":1}', headers }), { ok: false, reason: 'a body that is not a form must be bound by bodySHA256 in the URL' });
  });

  it('verifies against publicUrl, keeping the query the request carried', async () => {
    const publicUrl = 'https://mycompany.com/myapp.php';
    const headers = { ...FORM, ...signTwilio({ authToken: DOC_TOKEN, url: DOC_URL, params: DOC_PARAMS }) };
    const internal = 'http://hookport.internal:8080/hooks/0123456789abcdefghijklmnopqrstuv?foo=1&bar=2';
    assert.equal((await verify({ url: internal, body: formBody(DOC_PARAMS), headers })).ok, false);
    assert.deepEqual(await verify({ url: internal, body: formBody(DOC_PARAMS), headers, config: { ...config, publicUrl } }), { ok: true });
  });

  it('accepts a signature computed with the default port written out, as Twilio sometimes does', async () => {
    const headers = { ...FORM, ...signTwilio({ authToken: DOC_TOKEN, url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params: DOC_PARAMS }) };
    assert.deepEqual(await verify({ url: DOC_URL, body: formBody(DOC_PARAMS), headers }), { ok: true });
    assert.equal(togglePort('https://mycompany.com:443/a?b=1'), 'https://mycompany.com/a?b=1');
    assert.equal(togglePort('http://[::1]/a'), 'http://[::1]:80/a');
  });

  it('concatenates each distinct value of a repeated parameter in sorted order', () => {
    assert.equal(twilioParamString(new URLSearchParams('b=2&a=z&a=y&a=z')), 'aya' + 'z' + 'b2');
  });

  it('round-trips sign and verify for form and JSON bodies, adding bodySHA256 for JSON', async () => {
    const listenerUrl = 'https://hooks.example.com/hooks/0123456789abcdefghijklmnopqrstuv';
    const form = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: FORM, body: Buffer.from(formBody(DOC_PARAMS)) }, config, FIXED_NOW, listenerUrl);
    assert.deepEqual(form.headers, { ...FORM, ...signTwilio({ authToken: DOC_TOKEN, url: listenerUrl, params: DOC_PARAMS }) });
    const jsonHeaders = { 'content-type': 'application/json' };
    const body = '{"a":1}';
    const json = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: jsonHeaders, body: Buffer.from(body) }, config, FIXED_NOW, listenerUrl);
    const expected = signTwilioJson({ authToken: DOC_TOKEN, url: listenerUrl, body });
    assert.equal(listenerUrl + json.pathSuffix, expected.url);
    assert.deepEqual(json.headers, { ...jsonHeaders, ...expected.headers });
    assert.deepEqual(await verify({ url: expected.url, body, headers: json.headers }), { ok: true });
  });

  it('dedups on I-Twilio-Idempotency-Token and accepts publicUrl but not verifyToken', () => {
    assert.equal(presetVerifier.defaultDedupKey!(config), 'header:I-Twilio-Idempotency-Token');
    assert.deepEqual(presetVerifier.check!({ ...config, publicUrl: 'https://mycompany.com/myapp.php' }), []);
    assert.deepEqual(presetVerifier.check!({ ...config, verifyToken: 'x' }), [{ path: '/verifyToken', message: 'does not apply to provider twilio' }]);
  });
});
