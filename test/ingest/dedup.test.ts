/**
 * Replays and duplicates over HTTP (SPEC §4 tolerance, §9 dedup): a signed
 * request replayed outside its provider's tolerance is refused; a redelivery
 * inside the dedup window gets the original answer and is not queued again.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { expectAccepted, expectUnauthorized, jobCount } from '../helpers/verification';
import { signGitHub, signSlack, signStandardWebhooks, signStripe } from '../plugins/verifiers/fixtures';

describe('replays and duplicates over HTTP', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  const seconds = () => Math.floor(h.clock.now() / 1000);

  describe('a captured request replayed later', () => {
    const body = '{"id":"evt_1NQ7","event_id":"Ev05","type":"invoice.paid"}';
    const replayed = (listener: { id: string }, headers: Record<string, string>) => () =>
      h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(headers).send(body);

    it('is refused for Stripe once the 5-minute tolerance has passed', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'stripe', secrets: ['whsec_replay'] } });
      const headers = signStripe({ secret: 'whsec_replay', body, timestamp: seconds() });
      h.clock.advanceSeconds(301);
      await expectUnauthorized(h, listener.id, replayed(listener, headers));
    });

    it('is refused for Slack once the 5-minute tolerance has passed', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'slack', secrets: ['slack-replay'] } });
      const headers = signSlack({ secret: 'slack-replay', body, timestamp: seconds() });
      h.clock.advanceSeconds(301);
      await expectUnauthorized(h, listener.id, replayed(listener, headers));
    });

    it('is refused for Standard Webhooks once the 5-minute tolerance has passed', async () => {
      const secret = 'whsec_' + Buffer.from('replay key').toString('base64');
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'standard-webhooks', secrets: [secret] } });
      const headers = signStandardWebhooks({ secret, id: 'msg_replayed', timestamp: seconds(), body });
      h.clock.advanceSeconds(301);
      await expectUnauthorized(h, listener.id, replayed(listener, headers));
    });

    it('is answered as a duplicate inside the tolerance, not queued twice (Standard Webhooks dedups on webhook-id)', async () => {
      const secret = 'whsec_' + Buffer.from('replay key 2').toString('base64');
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'standard-webhooks', secrets: [secret] } });
      const headers = signStandardWebhooks({ secret, id: 'msg_twice', timestamp: seconds(), body });
      await expectAccepted(h, listener.id, replayed(listener, headers));
      h.clock.advanceSeconds(60);
      const again = await replayed(listener, headers)();
      assert.equal(again.status, 204);
      assert.equal(again.headers['hookport-duplicate'], 'true');
      assert.equal(await jobCount(h, listener.id), 1);
    });
  });

  describe('a GitHub delivery resent with the same X-GitHub-Delivery', () => {
    const SECRET = 'github-dedup-secret';
    const body = '{"action":"opened","number":42}';
    const deliver = (listener: { id: string }, delivery: string) => () =>
      h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
        .set({ 'X-GitHub-Event': 'pull_request', 'X-GitHub-Delivery': delivery, ...signGitHub({ secret: SECRET, body }) }).send(body);

    it('gets the original status and body with Hookport-Duplicate: true and is not queued again', async () => {
      const listener = await createListener(h, {
        verification: { type: 'preset', provider: 'github', secrets: [SECRET] },
        response: { status: 202, body: { received: '{{requestId}}' } },
      });
      const first = await expectAccepted(h, listener.id, deliver(listener, '72d3162e-cc78-11e3-81ab-4c9367dc0958'), 202);
      assert.equal(first.body.received, first.headers['x-request-id']);

      h.clock.advanceSeconds(3600);
      const redelivered = await deliver(listener, '72d3162e-cc78-11e3-81ab-4c9367dc0958')();
      assert.equal(redelivered.status, 202);
      assert.equal(redelivered.headers['hookport-duplicate'], 'true');
      assert.deepEqual(redelivered.body, { received: first.headers['x-request-id'] }, 'the original body, not one rendered for the redelivery');
      assert.notEqual(redelivered.headers['x-request-id'], first.headers['x-request-id']);
      const jobs = await h.services.store.readJobs(listener.id, 0, 10);
      assert.equal(jobs.length, 1);
      assert.equal(jobs[0]!.requestId, first.headers['x-request-id']);
    });

    it('is still verified first: a resend with a bad signature is 401, not a duplicate', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'github', secrets: [SECRET] } });
      await expectAccepted(h, listener.id, deliver(listener, 'delivery-verified-first'));
      const forged = await expectUnauthorized(h, listener.id, () =>
        h.request().post(hookPath(listener)).set('Content-Type', 'application/json')
          .set({ 'X-GitHub-Delivery': 'delivery-verified-first', ...signGitHub({ secret: 'a-guess', body }) }).send(body),
      );
      assert.equal(forged.headers['hookport-duplicate'], undefined);
    });

    it('accepts another delivery id, and a delivery without the header is never deduplicated', async () => {
      const listener = await createListener(h, { verification: { type: 'preset', provider: 'github', secrets: [SECRET] } });
      await expectAccepted(h, listener.id, deliver(listener, 'delivery-a'));
      await expectAccepted(h, listener.id, deliver(listener, 'delivery-b'));
      const withoutHeader = () =>
        h.request().post(hookPath(listener)).set('Content-Type', 'application/json').set(signGitHub({ secret: SECRET, body })).send(body);
      await expectAccepted(h, listener.id, withoutHeader);
      await expectAccepted(h, listener.id, withoutHeader);
    });
  });

  describe('generic dedup by header', () => {
    it('does not take a member every object inherits for a header the request carries', async () => {
      const listener = await createListener(h, { dedup: { key: 'header:constructor', windowSeconds: 60 } });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send({ order: 1 }));
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send({ order: 2 }));
    });

    it('still answers a repeat of a header the request does carry as a duplicate', async () => {
      const listener = await createListener(h, { dedup: { key: 'header:X-Event-Id', windowSeconds: 60 } });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).set('X-Event-Id', 'evt-1').send({ order: 1 }));
      const repeat = await h.request().post(hookPath(listener)).set('X-Event-Id', 'evt-1').send({ order: 2 });
      assert.equal(repeat.headers['hookport-duplicate'], 'true');
      assert.equal(await jobCount(h, listener.id), 1);
    });
  });

  describe('generic dedup by JSONPath', () => {
    const order = (id: number, note = 'first') => ({ order: { id, note } });

    it('answers a repeat of the same key inside windowSeconds as a duplicate, whatever else changed', async () => {
      const listener = await createListener(h, { dedup: { key: 'jsonpath:$.order.id', windowSeconds: 60 } });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send(order(7)));
      h.clock.advanceSeconds(59);
      const repeat = await h.request().post(hookPath(listener)).send(order(7, 'edited'));
      assert.equal(repeat.status, 204);
      assert.equal(repeat.headers['hookport-duplicate'], 'true');
      assert.equal(await jobCount(h, listener.id), 1);
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send(order(8)));
    });

    it('accepts the key again once the window has passed, and dedups against that new request', async () => {
      const listener = await createListener(h, { dedup: { key: 'jsonpath:$.order.id', windowSeconds: 60 } });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send(order(9)));
      h.clock.advanceSeconds(61);
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send(order(9, 'second')));
      const repeat = await h.request().post(hookPath(listener)).send(order(9, 'third'));
      assert.equal(repeat.headers['hookport-duplicate'], 'true');
      const records = (await h.services.store.readJobs(listener.id, 0, 10)).map((job) => JSON.parse(job.pages[0]!.recordsJson)[0].order.note);
      assert.deepEqual(records, ['first', 'second']);
    });

    it('deletes claims past their window in the background purge, and keeps live ones', async () => {
      await h.services.dedupPurge.runOnce(); // what earlier tests left behind
      const listener = await createListener(h, { dedup: { key: 'jsonpath:$.order.id', windowSeconds: 60 } });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send(order(31)));
      assert.equal(await h.services.dedupPurge.runOnce(), 0, 'nothing has expired yet');
      h.clock.advanceSeconds(61);
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send(order(32)));
      assert.ok((await h.services.dedupPurge.runOnce()) >= 1);
      assert.equal(await h.services.store.findDedup(listener.id, 'j:31', new Date(h.clock.now() - 61_000).toISOString()), null);
      assert.ok(await h.services.store.findDedup(listener.id, 'j:32', new Date(h.clock.now()).toISOString()));
    });

    it('does not deduplicate a request without the key', async () => {
      const listener = await createListener(h, { dedup: { key: 'jsonpath:$.order.id', windowSeconds: 60 } });
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send({ other: 1 }));
      await expectAccepted(h, listener.id, () => h.request().post(hookPath(listener)).send({ other: 1 }));
    });
  });
});
