import assert from 'node:assert/strict';
import { presetVerifier } from '../../../plugins/verifiers/preset';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { makeContext, signSlack } from './fixtures';

// The worked example in https://api.slack.com/authentication/verifying-requests-from-slack
const DOC_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const DOC_TIMESTAMP = 1531420618;
const DOC_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const DOC_SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';

const config: PresetConfig = { type: 'preset', provider: 'slack', secrets: [{ value: DOC_SECRET }] };
const docHeaders = { 'X-Slack-Request-Timestamp': String(DOC_TIMESTAMP), 'X-Slack-Signature': DOC_SIGNATURE };
const at = (seconds: number) => seconds * 1000;

describe('slack preset', () => {
  it("accepts the worked example from Slack's docs", async () => {
    const context = makeContext({ body: DOC_BODY, headers: docHeaders, now: at(DOC_TIMESTAMP + 30) });
    assert.deepEqual(await presetVerifier.verify(context, config), { ok: true });
  });

  it('refuses the example five minutes and one second later, and from the future', async () => {
    assert.deepEqual(await presetVerifier.verify(makeContext({ body: DOC_BODY, headers: docHeaders, now: at(DOC_TIMESTAMP + 301) }), config), {
      ok: false,
      reason: 'timestamp is 301 s old, outside the 300 s tolerance',
    });
    assert.deepEqual(await presetVerifier.verify(makeContext({ body: DOC_BODY, headers: docHeaders, now: at(DOC_TIMESTAMP - 301) }), config), {
      ok: false,
      reason: 'timestamp is 301 s in the future, outside the 300 s tolerance',
    });
  });

  it('refuses a changed body and a replayed signature with a new timestamp', async () => {
    const now = at(DOC_TIMESTAMP + 30);
    assert.equal((await presetVerifier.verify(makeContext({ body: DOC_BODY.replace('foobar', 'foobaz'), headers: docHeaders, now }), config)).ok, false);
    const moved = { ...docHeaders, 'X-Slack-Request-Timestamp': String(DOC_TIMESTAMP + 1) };
    assert.equal((await presetVerifier.verify(makeContext({ body: DOC_BODY, headers: moved, now }), config)).ok, false);
  });

  it('accepts an event signed as Slack documents it, and signs the same way', async () => {
    const body = '{"type":"event_callback","event_id":"Ev01"}';
    const now = at(1700000000);
    const headers = signSlack({ secret: DOC_SECRET, body, timestamp: 1700000000 });
    assert.deepEqual(await presetVerifier.verify(makeContext({ body, headers, now }), config), { ok: true });
    const signed = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from(body) }, config, now, 'https://x');
    assert.deepEqual(signed.headers, headers);
  });

  it('dedups on event_id and answers url_verification after verifying it', () => {
    assert.equal(presetVerifier.defaultDedupKey!(config), 'jsonpath:$.event_id');
    const [rule] = presetVerifier.handshakes!(config);
    assert.equal(rule!.verify, true);
    assert.deepEqual(rule!.when, [
      { path: '$.method', equals: 'POST' },
      { path: '$.body.type', equals: 'url_verification' },
    ]);
    assert.deepEqual(rule!.respond, { status: 200, type: 'json', body: { challenge: '{{body.challenge}}' } });
  });
});
