/**
 * allowIps over HTTP (SPEC §4): the client address is checked before the
 * verifier runs, from the peer or, behind a trusted proxy, from X-Forwarded-For.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { expectAccepted, expectUnauthorized, recordExchanges } from '../helpers/verification';
import { signGitHub } from '../plugins/verifiers/fixtures';

describe('allowIps over HTTP', () => {
  const github = { type: 'preset', provider: 'github', secrets: ['allow-ips-secret'] };
  const body = '{"zen":"Approachable is better than simple."}';
  const signed = { 'Content-Type': 'application/json', ...signGitHub({ secret: 'allow-ips-secret', body }) };

  describe('without trusted proxies', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness();
    });
    after(() => h.close());

    it('refuses a correctly signed request from an address outside the list, before the verifier runs', async () => {
      const recorder = recordExchanges(h);
      try {
        const listener = await createListener(h, { allowIps: ['203.0.113.0/24', '2001:db8::/32'], verification: github });
        const response = await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set(signed).send(body));
        assert.match(recorder.of(response).verification?.reason ?? '', /client address 127\.0\.0\.1 is not in the listener's allowIps/);
      } finally {
        recorder.stop();
      }
    });

    it('accepts an address inside the list (the loopback peer, written as IPv4 or as IPv4-mapped IPv6)', async () => {
      for (const allowIps of [['127.0.0.0/8'], ['::ffff:127.0.0.1']]) {
        const listener = await createListener(h, { allowIps, verification: github });
        await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).set(signed).send(body));
      }
    });

    it('answers no handshake to an address outside the list, even with the right verify token', async () => {
      const listener = await createListener(h, {
        allowIps: ['203.0.113.0/24'],
        verification: { type: 'preset', provider: 'meta', secrets: ['meta-app-secret'], verifyToken: 'meta-verify-token' },
      });
      const response = await expectUnauthorized(h, listener.id, () =>
        h.request().get(`${hookPath(listener)}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meta-verify-token`),
      );
      assert.doesNotMatch(response.text, /1158201444/);
    });

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      const listener = await createListener(h, { allowIps: ['203.0.113.0/24'], verification: github });
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set(signed).set('X-Forwarded-For', '203.0.113.7').send(body));
    });
  });

  describe('behind a trusted proxy (config trustedProxies)', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness({ overrides: { trustedProxies: ['127.0.0.1'] } });
    });
    after(() => h.close());

    const viaProxy = (listener: { id: string }, forwardedFor: string) => () =>
      h.request().post(hookPath(listener)).set(signed).set('X-Forwarded-For', forwardedFor).send(body);

    it('takes the client from X-Forwarded-For', async () => {
      const listener = await createListener(h, { allowIps: ['203.0.113.0/24'], verification: github });
      await expectAccepted(h, listener.id, viaProxy(listener, '203.0.113.7'));
      await expectUnauthorized(h, listener.id, viaProxy(listener, '198.51.100.7'));
    });

    it('believes only the right-most address the proxy added, not what the client wrote before it', async () => {
      const listener = await createListener(h, { allowIps: ['203.0.113.0/24'], verification: github });
      await expectUnauthorized(h, listener.id, viaProxy(listener, '203.0.113.7, 198.51.100.7'));
      await expectAccepted(h, listener.id, viaProxy(listener, '198.51.100.7, 203.0.113.7'));
    });
  });
});
