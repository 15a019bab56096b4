/**
 * The handshakes added with the preset catalogue, over HTTP: Twitch's callback
 * verification, Dropbox's challenge GET, Asana's X-Hook-Secret echo, Azure
 * Event Grid's validation event, Front's challenge, Notion's verification token
 * and Discord's PINGs. A handshake stores nothing; a signed one refuses a bad
 * signature with 401.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { expectUnauthorized, jobCount } from '../helpers/verification';
import { ed25519Key, SIGNERS } from '../plugins/verifiers/provider-signers';

describe('catalogue handshakes over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());
  const preset = (provider: string, secrets: string[]) => createListener(h, { verification: { type: 'preset', provider, secrets } });

  describe('Twitch webhook_callback_verification', () => {
    const body = JSON.stringify({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { id: 'f1c2a387', type: 'channel.follow' } });
    const signed = async (secret: string, listener: { url: string }) => ({
      ...(await SIGNERS.twitch!({ key: { paste: secret }, body, nowMs: h.clock.now(), url: listener.url, id: 'e76c6bd4' })),
      'twitch-eventsub-message-type': 'webhook_callback_verification',
    });

    it('answers a signed challenge with the raw challenge as text/plain and stores nothing', async () => {
      const listener = await preset('twitch', ['twitch-subscription-secret']);
      const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(await signed('twitch-subscription-secret', listener)).send(body);
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'], /^text\/plain/);
      assert.equal(response.text, 'pogchamp-kappa-360noscope-vohiyo');
      assert.equal(await jobCount(h, listener.id), 0);
    });

    it('refuses a challenge signed with another secret', async () => {
      const listener = await preset('twitch', ['twitch-subscription-secret']);
      const response = await expectUnauthorized(h, listener.id, async () =>
        h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(await signed('a-guess-at-the-secret', listener)).send(body),
      );
      assert.doesNotMatch(response.text, /pogchamp/);
    });
  });

  describe('Dropbox challenge', () => {
    it('echoes ?challenge= as text/plain with nosniff, unsigned, and stores nothing', async () => {
      const listener = await preset('dropbox', ['dropbox-app-secret']);
      const response = await h.request().get(`${hookPath(listener)}?challenge=vQiK4zXq1`);
      assert.equal(response.status, 200);
      assert.equal(response.text, 'vQiK4zXq1');
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(await jobCount(h, listener.id), 0);
    });
  });

  describe('Asana X-Hook-Secret', () => {
    const SECRET = 'b537207f20cbfa02357cf448134da559';
    const event = JSON.stringify({ events: [{ action: 'changed', resource: { gid: '1' } }] });
    const deliver = async (listener: { id: string; url: string }, secret: string) =>
      h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
        .set(await SIGNERS.asana!({ key: { paste: secret }, body: event, nowMs: h.clock.now(), url: listener.url, id: 'x' })).send(event);

    it('echoes X-Hook-Secret and keeps it as the secret of a listener created without one', async () => {
      const listener = await preset('asana', []);
      const response = await h.request().post(hookPath(listener)).set('X-Hook-Secret', SECRET).send('');
      assert.equal(response.status, 200);
      assert.equal(response.headers['x-hook-secret'], SECRET);
      assert.equal(await jobCount(h, listener.id), 0);
      const stored = await h.api().get(`/listeners/${listener.id}`);
      assert.deepEqual(stored.body.verification.secrets, [`****${SECRET.slice(-4)}`]);
      assert.equal((await deliver(listener, SECRET)).status, 204);
      assert.equal((await deliver(listener, 'not-the-hook-secret')).status, 401);
    });

    it('does not answer (401, nothing echoed or kept) while the listener already has a secret', async () => {
      const listener = await preset('asana', [SECRET]);
      const response = await expectUnauthorized(h, listener.id, () => h.request().post(hookPath(listener)).set('X-Hook-Secret', 'an-attackers-secret').send(''));
      assert.equal(response.headers['x-hook-secret'], undefined);
      assert.equal((await deliver(listener, SECRET)).status, 204);
      assert.equal((await deliver(listener, 'an-attackers-secret')).status, 401);
    });

    it('refuses an empty secret list for a provider whose handshake does not hand one over', async () => {
      const response = await h.api().post('/listeners', { name: 'x', verification: { type: 'preset', provider: 'github', secrets: [] } });
      assert.equal(response.status, 400);
      assert.deepEqual(response.body.errors, [{ path: '/verification/secrets', message: 'must NOT have fewer than 1 items' }]);
    });
  });

  describe('Azure Event Grid subscription validation', () => {
    const validation = JSON.stringify([
      { id: '2d1781af', topic: '/subscriptions/x', subject: '', data: { validationCode: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' }, eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', eventTime: '2026-11-01T12:00:00Z', dataVersion: '1', metadataVersion: '1' },
    ]);

    it('answers {"validationResponse": …} when the URL carries the token, and 401 without it', async () => {
      const listener = await preset('azure-event-grid', ['azure-grid-token']);
      const post = (suffix: string) => () => h.request().post(hookPath(listener) + suffix).set('Content-Type', 'application/json').set('aeg-event-type', 'SubscriptionValidation').send(validation);
      const response = await post('?code=azure-grid-token')();
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
      await expectUnauthorized(h, listener.id, post(''));
    });
  });

  describe('Front challenge', () => {
    it('echoes X-Front-Challenge on a signed request only', async () => {
      const listener = await preset('front', ['front-app-secret']);
      const body = JSON.stringify({ type: 'sync' });
      const send = async (secret: string) =>
        h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set('X-Front-Challenge', 'c-7Yd2')
          .set(await SIGNERS.front!({ key: { paste: secret }, body, nowMs: h.clock.now(), url: listener.url, id: 'x' })).send(body);
      const response = await send('front-app-secret');
      assert.equal(response.status, 200);
      assert.equal(response.text, 'c-7Yd2');
      await expectUnauthorized(h, listener.id, () => send('not-front'));
    });
  });

  describe('Notion verification token', () => {
    it('answers the one unsigned request that carries verification_token, and stores nothing', async () => {
      const listener = await preset('notion', ['placeholder-until-verified']);
      const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send({ verification_token: 'secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl' });
      assert.equal(response.status, 200);
      assert.equal(await jobCount(h, listener.id), 0);
      assert.doesNotMatch(response.text, /secret_/);
    });
  });

  describe('Trello HEAD and Mailchimp GET', () => {
    it('answers Trello’s HEAD with 200, while HEAD to a listener without such a rule stays 405', async () => {
      const trello = await preset('trello', ['trello-app-secret']);
      const response = await h.request().head(hookPath(trello));
      assert.equal(response.status, 200);
      assert.equal(await jobCount(h, trello.id), 0);
      const github = await preset('github', ['gh-secret']);
      const refused = await h.request().head(hookPath(github));
      assert.equal(refused.status, 405);
      assert.equal(refused.headers.allow, 'POST, PUT, PATCH, GET');
      const dropbox = await preset('dropbox', ['dropbox-app-secret']);
      assert.equal((await h.request().head(hookPath(dropbox))).status, 405, 'a listener whose rules do not match HEAD');
    });

    it('answers Mailchimp’s URL check with 200 only with the token, storing nothing', async () => {
      const listener = await preset('mailchimp', ['mailchimp-url-token']);
      const response = await h.request().get(`${hookPath(listener)}?secret=mailchimp-url-token`);
      assert.equal(response.status, 200);
      assert.equal(await jobCount(h, listener.id), 0);
      await expectUnauthorized(h, listener.id, () => h.request().get(`${hookPath(listener)}?secret=guess`));
    });
  });

  describe('Discord PINGs', () => {
    const key = ed25519Key('hex');
    const send = async (listener: { id: string; url: string }, body: string, signingKey = key) =>
      h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
        .set(await SIGNERS.discord!({ key: signingKey, body, nowMs: h.clock.now(), url: listener.url, id: 'x' })).send(body);

    it('answers a signed interactions PING with {"type":1} and a webhook-events PING with 204', async () => {
      const listener = await preset('discord', [key.paste]);
      const interaction = await send(listener, JSON.stringify({ id: '1', application_id: '2', type: 1, token: 't', version: 1 }));
      assert.equal(interaction.status, 200);
      assert.deepEqual(interaction.body, { type: 1 });
      const event = await send(listener, JSON.stringify({ version: 1, application_id: '2', type: 0 }));
      assert.equal(event.status, 204);
      assert.equal(await jobCount(h, listener.id), 0);
    });

    it('refuses a PING signed by another key with 401, as Discord checks', async () => {
      const listener = await preset('discord', [key.paste]);
      await expectUnauthorized(h, listener.id, () => send(listener, JSON.stringify({ id: '1', type: 1 }), ed25519Key('hex')));
    });

    it('stores a signed webhook event (type 1 with an event)', async () => {
      const listener = await preset('discord', [key.paste]);
      const response = await send(listener, JSON.stringify({ version: 1, application_id: '2', type: 1, event: { type: 'APPLICATION_AUTHORIZED', data: {} } }));
      assert.equal(response.status, 204);
      assert.equal(await jobCount(h, listener.id), 1);
    });
  });
});
