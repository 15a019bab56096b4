/**
 * Handshakes over HTTP (SPEC §5): the URL checks senders make before they send
 * data, answered by the built-in rules and by a listener's own rules, before
 * verification (or, for signed handshakes, after it). A handshake stores nothing.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { expectUnauthorized, jobCount } from '../helpers/verification';
import { signMeta, signSlack, signZoom } from '../plugins/verifiers/fixtures';

describe('handshakes over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  const seconds = () => Math.floor(h.clock.now() / 1000);

  describe('Slack url_verification', () => {
    const SECRET = 'slack-signing-secret';
    // https://api.slack.com/events/url_verification
    const body = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' });

    it('answers a signed challenge with {"challenge": …} and stores nothing', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'slack', secrets: [SECRET] } });
      const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
        .set(signSlack({ secret: SECRET, body, timestamp: seconds() })).send(body);
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'], /^application\/json/);
      assert.deepEqual(response.body, { challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
      assert.equal(await jobCount(h, listener.id), 0);
    });

    it('refuses an unsigned or wrongly signed challenge with 401 and no challenge', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'slack', secrets: [SECRET] } });
      const unsigned = await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send(body));
      assert.doesNotMatch(unsigned.text, /3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P/);
      await expectUnauthorized(h, listener.id, () =>
        h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
          .set(signSlack({ secret: 'not-the-secret', body, timestamp: seconds() })).send(body),
      );
    });
  });

  describe('Meta hub.challenge', () => {
    const subscribe = (token: string) => `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${token}`;
    const settings = { verification: { type: 'preset', provider: 'meta', secrets: ['meta-app-secret'], verifyToken: 'meta-verify-token' } };

    it('echoes the challenge as text for the right verify token, and stores nothing', async () => {
      const listener = await createListener(h, settings);
      const response = await h.request().get(`${hookPath(listener)}?${subscribe('meta-verify-token')}`);
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'], /^text\/plain/);
      assert.equal(response.text, '1158201444');
      assert.equal(await jobCount(h, listener.id), 0);
    });

    it('refuses a wrong verify token with 401 and echoes nothing', async () => {
      const listener = await createListener(h, settings);
      const response = await expectUnauthorized(h, listener.id, () => h.request().get(`${hookPath(listener)}?${subscribe('a-guess')}`));
      assert.doesNotMatch(response.text, /1158201444/);
    });

    it('still verifies the signed notifications that follow', async () => {
      const listener = await createListener(h, settings);
      const body = JSON.stringify({ object: 'page', entry: [{ id: '1', time: 1 }] });
      const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(signMeta({ appSecret: 'meta-app-secret', body })).send(body);
      assert.equal(response.status, 204);
      assert.equal(await jobCount(h, listener.id), 1);
    });
  });

  describe('Zoom endpoint.url_validation', () => {
    const SECRET = 'zoom-secret-token';
    const body = JSON.stringify({ payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: 1654503849680, event: 'endpoint.url_validation' });

    it('answers a signed validation with plainToken and its HMAC-SHA256 under the secret token, and stores nothing', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'zoom', secrets: [SECRET] } });
      const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
        .set(signZoom({ secretToken: SECRET, body, timestamp: seconds() })).send(body);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
        encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
      });
      assert.equal(await jobCount(h, listener.id), 0);
    });

    it('answers with the secret Zoom signed with while secrets rotate, whichever is listed first', async () => {
      const expiresAt = new Date(h.clock.now() + 60_000).toISOString();
      // The new token is listed first, as the README suggests, while Zoom still signs with the old one.
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'zoom', secrets: [SECRET, { value: 'zoom-old-token', expiresAt }] } });
      const validate = (secretToken: string) =>
        h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(signZoom({ secretToken, body, timestamp: seconds() })).send(body);
      const encrypted = (secretToken: string) => createHmac('sha256', secretToken).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex');
      assert.equal((await validate('zoom-old-token')).body.encryptedToken, encrypted('zoom-old-token'));
      assert.equal((await validate(SECRET)).body.encryptedToken, encrypted(SECRET));
      h.clock.advanceSeconds(61);
      await expectUnauthorized(h, listener.id, () => validate('zoom-old-token'));
      assert.equal((await validate(SECRET)).body.encryptedToken, encrypted(SECRET));
    });

    it('refuses an unsigned validation with 401', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'zoom', secrets: [SECRET] } });
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send(body));
    });
  });

  describe('Microsoft Graph validationToken (handshake: [{"builtin":"microsoft-graph"}])', () => {
    it('echoes the decoded token as text/plain and stores nothing', async () => {
      const listener = await createListener(h, {
        handshake: [{ builtin: 'microsoft-graph' }],
        verification: { type: 'token', tokens: ['graph-client-state'], location: { in: 'body', path: 'value[0].clientState' } },
      });
      const response = await h.request().post(`${hookPath(listener)}?validationToken=Validation%3A%20Testing%20client%20application`).set('Content-Type', 'text/plain');
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'], /^text\/plain/);
      assert.equal(response.text, 'Validation: Testing client application');
      assert.equal(await jobCount(h, listener.id), 0);
    });

    it('leaves change notifications to the verifier', async () => {
      const listener = await createListener(h, {
        handshake: [{ builtin: 'microsoft-graph' }],
        verification: { type: 'token', tokens: ['graph-client-state'], location: { in: 'body', path: 'value[0].clientState' } },
      });
      const notification = (clientState: string) => ({ value: [{ subscriptionId: 's-1', clientState, changeType: 'created', resource: 'Users/1' }] });
      assert.equal((await h.request().post(hookPath(listener)).send(notification('graph-client-state'))).status, 204);
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).send(notification('forged')));
    });
  });

  describe('Okta X-Okta-Verification-Challenge (handshake: [{"builtin":"okta"}])', () => {
    it('answers {"verification": <challenge>} and stores nothing', async () => {
      const listener = await createListener(h, {
        handshake: [{ builtin: 'okta' }],
        verification: { type: 'token', tokens: ['okta-secret'], location: { in: 'header', name: 'Authorization' } },
      });
      const response = await h.request().get(hookPath(listener)).set('X-Okta-Verification-Challenge', 'vbLiF4ygb9a0MtjPXJ4YKrsVfO');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { verification: 'vbLiF4ygb9a0MtjPXJ4YKrsVfO' });
      assert.equal(await jobCount(h, listener.id), 0);
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).send({ eventType: 'user.session.start' }));
    });
  });

  describe('a listener’s own rule', () => {
    it('matches by JSONPath and renders a Handlebars response with the hmac helper over the listener’s key', async () => {
      const listener = await createListener(h, {
        verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: ['partner-key'] },
        handshake: [
          {
            when: [{ path: '$.body.type', equals: 'ping' }, { path: '$.headers.x-partner', matches: '^acme-' }],
            respond: { status: 200, type: 'json', headers: { 'X-Pong': '{{body.nonce}}' }, body: { pong: '{{hmac "sha256" secret body.nonce "base64"}}' } },
            // it reads the secret, so it must answer only a request that passed verification
            verify: true,
          },
        ],
      });
      const ping = JSON.stringify({ type: 'ping', nonce: 'n-0001' });
      const response = await h.request().post(hookPath(listener)).set('X-Partner', 'acme-eu').set('Content-Type', 'application/json')
        .set('X-Signature', createHmac('sha256', 'partner-key').update(ping).digest('hex')).send(ping);
      assert.equal(response.status, 200);
      assert.equal(response.headers['x-pong'], 'n-0001');
      assert.deepEqual(response.body, { pong: createHmac('sha256', 'partner-key').update('n-0001').digest('base64') });
      assert.equal(await jobCount(h, listener.id), 0);
      // The same body without the matching header is not a handshake: it meets the verifier.
      await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set('X-Partner', 'other').send({ type: 'ping', nonce: 'n-0001' }));
    });

    it('with verify: true answers only a request the verifier accepts', async () => {
      const listener = await createListener(h, {
        verification: { type: 'token', tokens: ['make-token'], location: { in: 'header', name: 'X-Token' } },
        handshake: [{ when: [{ path: '$.body.verification', exists: true }], respond: { status: 200, type: 'urlencoded', body: { challenge: '{{body.verification}}' } }, verify: true }],
      });
      const handshake = () => h.request().post(hookPath(listener)).send({ verification: 'abc 123' });
      await expectUnauthorized(h, listener.id, handshake);
      const response = await handshake().set('X-Token', 'make-token');
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(response.text, 'challenge=abc+123');
      assert.equal(await jobCount(h, listener.id), 0);
    });
  });
});
