import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { presetVerifier } from '../../../plugins/verifiers/preset';
import { parseStripeSignature } from '../../../plugins/verifiers/presets/stripe';
import type { PresetConfig } from '../../../plugins/verifiers/presets/types';
import { FIXED_NOW, FIXED_SECONDS, makeContext, signStripe } from './fixtures';

const SECRET = 'whsec_test_5a7d1e2f9c3b4a6d8e0f1a2b3c4d5e6f';
const config: PresetConfig = { type: 'preset', provider: 'stripe', secrets: [{ value: SECRET }] };
const body = '{"id":"evt_1NG8Du2eZvKYlo2CUI79vXWy","object":"event","type":"payment_intent.succeeded"}';

async function reason(headers: Record<string, string>, options: { body?: string; now?: number; secrets?: PresetConfig['secrets'] } = {}): Promise<string | undefined> {
  const result = await presetVerifier.verify(makeContext({ body: options.body ?? body, headers, now: options.now ?? FIXED_NOW }), { ...config, secrets: options.secrets ?? config.secrets });
  return result.ok ? undefined : result.reason;
}

describe('stripe preset', () => {
  it('accepts a header built by hand per the docs: t and v1 over "{t}.{body}", the whsec_ secret used as-is', async () => {
    const v1 = createHmac('sha256', SECRET).update(`${FIXED_SECONDS}.${body}`).digest('hex');
    assert.equal(await reason({ 'Stripe-Signature': `t=${FIXED_SECONDS},v1=${v1},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39` }), undefined);
  });

  it('does not base64-decode the secret (that is Standard Webhooks, not Stripe)', async () => {
    const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const v1 = createHmac('sha256', decodedKey).update(`${FIXED_SECONDS}.${body}`).digest('hex');
    assert.match((await reason({ 'Stripe-Signature': `t=${FIXED_SECONDS},v1=${v1}` }))!, /signature mismatch/);
  });

  it('accepts when any of several v1 signatures matches (secret rolling)', async () => {
    assert.equal(await reason(signStripe({ secret: SECRET, body, timestamp: FIXED_SECONDS, extraV1: ['0'.repeat(64)] })), undefined);
  });

  it('refuses a wrong body, a wrong secret and a header without t or v1, each with a precise reason', async () => {
    const headers = signStripe({ secret: SECRET, body, timestamp: FIXED_SECONDS });
    assert.match((await reason(headers, { body: body.replace('succeeded', 'failed') }))!, /signature mismatch/);
    assert.match((await reason(signStripe({ secret: 'whsec_other', body, timestamp: FIXED_SECONDS })))!, /signature mismatch/);
    assert.equal(await reason({}), 'missing Stripe-Signature header');
    assert.equal(await reason({ 'stripe-signature': `t=${FIXED_SECONDS}` }), 'Stripe-Signature has no v1 signature');
    assert.equal(await reason({ 'stripe-signature': 'v1=abc' }), 'missing timestamp (Stripe-Signature t=)');
  });

  it('refuses a timestamp outside the 300 s tolerance in either direction', async () => {
    assert.equal(await reason(signStripe({ secret: SECRET, body, timestamp: FIXED_SECONDS - 301 })), 'timestamp is 301 s old, outside the 300 s tolerance');
    assert.equal(await reason(signStripe({ secret: SECRET, body, timestamp: FIXED_SECONDS + 301 })), 'timestamp is 301 s in the future, outside the 300 s tolerance');
    assert.equal(await reason(signStripe({ secret: SECRET, body, timestamp: FIXED_SECONDS - 300 })), undefined);
  });

  it('keeps an old secret working until its expiresAt, then says "secret expired"', async () => {
    const secrets = [{ value: 'whsec_new' }, { value: SECRET, expiresAt: '2026-01-15T12:00:00Z' }];
    const headers = signStripe({ secret: SECRET, body, timestamp: FIXED_SECONDS - 1 });
    assert.equal(await reason(headers, { secrets, now: FIXED_NOW - 1 }), undefined);
    assert.equal(await reason(headers, { secrets, now: FIXED_NOW }), 'secret expired');
  });

  it('signs "t=…,v1=…" exactly as the fixture builds it, dedups on the event id', () => {
    const signed = presetVerifier.sign({ method: 'POST', pathSuffix: '', headers: {}, body: Buffer.from(body) }, config, FIXED_NOW, 'https://x');
    assert.deepEqual(signed.headers, signStripe({ secret: SECRET, body, timestamp: FIXED_SECONDS }));
    assert.equal(presetVerifier.defaultDedupKey!(config), 'jsonpath:$.id');
    assert.deepEqual(presetVerifier.sensitiveHeaders(config), ['stripe-signature']);
  });

  it('parses the header by splitting on "," then on the first "="', () => {
    assert.deepEqual(parseStripeSignature('t=1,v1=AB,v0=cd,v1=ef=,x'), { timestamp: '1', signatures: ['ab', 'ef='] });
  });
});
