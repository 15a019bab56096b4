/**
 * The URL verifiers sign ({url}, Square, Twilio…) is the one the partner
 * called: HOOKPORT_PUBLIC_URL when set; otherwise, through a trusted proxy, the
 * scheme and host in X-Forwarded-Proto / X-Forwarded-Host; never a host that
 * an untrusted client names.
 */
import { createHmac } from 'node:crypto';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { expectAccepted, expectUnauthorized } from '../helpers/verification';

const KEY = 'url-signing-key';
const settings = { verification: { type: 'hmac', algorithm: 'sha256', encoding: 'base64', header: 'X-Sig', keys: [KEY], signedContent: '{url}{body}' } };
const signOver = (url: string, body: string) => createHmac('sha256', KEY).update(url + body).digest('base64');
const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'partner-facing.example' };

describe('the URL a signature covers', () => {
  const body = '{"amount":100}';
  const post = (h: Harness, listener: { id: string }, signedUrl: string, headers: Record<string, string>) => () =>
    h.request().post(hookPath(listener)).set({ 'Content-Type': 'application/json', ...headers, 'X-Sig': signOver(signedUrl, body) }).send(body);

  describe('behind a trusted proxy, without HOOKPORT_PUBLIC_URL', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness({ overrides: { publicUrl: null, trustedProxies: ['127.0.0.1', '::1'] } });
    });
    after(() => h.close());

    it('is built from X-Forwarded-Proto and X-Forwarded-Host (first value)', async () => {
      const listener = await createListener(h, settings);
      await expectAccepted(h, listener.id, post(h, listener, `https://partner-facing.example${hookPath(listener)}`, forwarded));
      await expectAccepted(h, listener.id, post(h, listener, `https://partner-facing.example${hookPath(listener)}`, { ...forwarded, 'X-Forwarded-Host': 'partner-facing.example, inner.local' }));
    });

    it('falls back to the default public URL when the forwarded values are not a scheme and a host', async () => {
      const listener = await createListener(h, settings);
      const fallback = `${h.config.publicUrl}${hookPath(listener)}`;
      await expectAccepted(h, listener.id, post(h, listener, fallback, { 'X-Forwarded-Proto': 'gopher', 'X-Forwarded-Host': 'partner-facing.example' }));
      await expectAccepted(h, listener.id, post(h, listener, fallback, { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example/path' }));
    });
  });

  describe('from a peer that is not a trusted proxy', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness({ overrides: { publicUrl: null, trustedProxies: ['10.0.0.1'] } });
    });
    after(() => h.close());

    it('ignores forwarded headers: a client cannot choose the URL its signature is checked against', async () => {
      const listener = await createListener(h, settings);
      await expectUnauthorized(h, listener.id, post(h, listener, `https://partner-facing.example${hookPath(listener)}`, forwarded));
      await expectAccepted(h, listener.id, post(h, listener, `${h.config.publicUrl}${hookPath(listener)}`, forwarded));
    });
  });

  describe('with HOOKPORT_PUBLIC_URL set', () => {
    let h: Harness;
    before(async () => {
      h = await createHarness({ overrides: { trustedProxies: ['127.0.0.1', '::1'] } });
    });
    after(() => h.close());

    it('uses it even through a trusted proxy (it is the URL given to the provider)', async () => {
      const listener = await createListener(h, settings);
      await expectUnauthorized(h, listener.id, post(h, listener, `https://partner-facing.example${hookPath(listener)}`, forwarded));
      await expectAccepted(h, listener.id, post(h, listener, `https://hooks.example.com${hookPath(listener)}`, forwarded));
    });
  });
});
