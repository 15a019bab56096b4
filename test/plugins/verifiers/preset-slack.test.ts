import assert from 'node:assert/strict';
import { presetVerifier } from '../../../plugins/verifiers/preset';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { makeContext, signSlack, SLACK_DOC_VECTOR } from './fixtures';

const { secret: DOC_SECRET, timestamp: DOC_TIMESTAMP, body: DOC_BODY, signature: DOC_SIGNATURE } = SLACK_DOC_VECTOR;

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
