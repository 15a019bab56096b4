import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

const PASSWORD = 'history-password-1';
const basic = (password: string) => `Basic ${Buffer.from(`partner:${password}`).toString('base64')}`;

describe('request history', () => {
  let h: Harness;
  let listener: any;
  beforeEach(async () => {
    h = await createHarness({ overrides: { requestHistory: { keepPerListener: 3 } } });
    listener = await createListener(h, { verification: { type: 'basic', username: 'partner', passwords: [PASSWORD] } });
  });
  afterEach(() => h.close());

  async function send(password: string, body = '{"id":1}') {
    return h.request().post(hookPath(listener)).set('Authorization', basic(password)).set('Content-Type', 'application/json').send(body);
  }

  it('keeps every request with no debug session: time, method, status, outcome, reason, job id, duration — no headers or bodies', async () => {
    const accepted = await send(PASSWORD);
    assert.equal(accepted.status, 204);
    h.clock.advanceSeconds(1);
    assert.equal((await send('wrong-password')).status, 401);
    h.clock.advanceSeconds(1);
    assert.equal((await send(PASSWORD, '{"id":')).status, 400);
    await h.services.requestHistory.flush();

    const response = await h.api().get(`/listeners/${listener.id}/requests`);
    assert.equal(response.status, 200);
    const [malformed, refused, ok] = response.body.items;
    assert.deepEqual([malformed.outcome, refused.outcome, ok.outcome], ['ERR_MALFORMED_BODY', 'ERR_UNAUTHORIZED', 'accepted']);
    assert.deepEqual([malformed.status, refused.status, ok.status], [400, 401, 204]);
    assert.equal(ok.method, 'POST');
    assert.equal(ok.receivedAt, '2026-11-01T12:00:00.000Z');
    assert.match(ok.jobId, /^[a-z0-9]{32}$/);
    assert.equal(ok.requestId, accepted.headers['x-request-id']);
    assert.equal(refused.jobId, null);
    assert.ok(refused.reason, 'a refusal says why');
    assert.ok(malformed.reason);
    assert.equal(typeof ok.durationMs, 'number');
    const text = JSON.stringify(response.body);
    assert.ok(!text.includes(PASSWORD) && !text.includes('wrong-password') && !text.includes('"id":1'), 'no credentials or bodies');
    assert.deepEqual(Object.keys(ok).sort(), ['durationMs', 'id', 'jobId', 'listenerId', 'method', 'outcome', 'reason', 'receivedAt', 'requestId', 'status']);
  });

  it('filters by outcome and time and pages with limit / after / nextCursor', async () => {
    for (const password of [PASSWORD, 'wrong-password', PASSWORD]) {
      await send(password);
      h.clock.advanceSeconds(60);
    }
    await h.services.requestHistory.flush();
    const refused = await h.api().get(`/listeners/${listener.id}/requests?outcome=ERR_UNAUTHORIZED`);
    assert.deepEqual(refused.body.items.map((item: any) => item.status), [401]);
    const since = await h.api().get(`/listeners/${listener.id}/requests?since=2026-11-01T12:01:00Z`);
    assert.equal(since.body.items.length, 2);
    const until = await h.api().get(`/listeners/${listener.id}/requests?until=2026-11-01T12:01:00Z`);
    assert.deepEqual(until.body.items.map((item: any) => item.receivedAt), ['2026-11-01T12:00:00.000Z']);

    const first = await h.api().get(`/listeners/${listener.id}/requests?limit=2`);
    assert.equal(first.body.items.length, 2);
    const rest = await h.api().get(`/listeners/${listener.id}/requests?limit=2&after=${first.body.nextCursor}`);
    assert.equal(rest.body.items.length, 1);
    assert.equal(rest.body.nextCursor, null);

    const bad = await h.api().get(`/listeners/${listener.id}/requests?since=yesterday`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].path, '/query/since');
  });

  it('is bounded to the configured number per listener and purged with the listener', async () => {
    for (let i = 0; i < 5; i += 1) {
      await send(PASSWORD);
      h.clock.advanceSeconds(1);
    }
    await h.services.requestHistory.flush();
    const kept = await h.api().get(`/listeners/${listener.id}/requests`);
    assert.equal(kept.body.items.length, 3, 'requestHistory.keepPerListener is 3 here (1,000 by default)');
    assert.equal(kept.body.items[0].receivedAt, '2026-11-01T12:00:04.000Z', 'the newest are kept');

    assert.equal((await h.api().delete(`/listeners/${listener.id}`)).status, 204);
    await h.services.requestHistory.flush();
    assert.equal((await h.api().get(`/listeners/${listener.id}/requests`)).status, 404);
    assert.deepEqual((await h.services.store.requestHistory.list(listener.id, { limit: 10 })).items, []);
  });

  it('keeps 1,000 per listener by default', async () => {
    const defaults = await createHarness();
    try {
      assert.equal(defaults.config.requestHistory.keepPerListener, 1000);
    } finally {
      await defaults.close();
    }
  });
});
