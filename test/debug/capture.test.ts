import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { debugLogs, startDebug } from './helpers';

describe('debug capture', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('records what came in and what went out for an accepted request', async () => {
    const listener = await createListener(h, { records: { resourcePath: '$.items[*]' } });
    await startDebug(h, listener.id, 5);
    const body = JSON.stringify({ items: [{ id: 1 }, { id: 2 }] });
    const response = await h.request()
      .post(`${hookPath(listener)}?source=erp&page=2`)
      .set('Content-Type', 'application/json')
      .set('X-Request-Id', 'accepted-1')
      .set('X-Custom', 'custom value')
      .send(body);
    assert.equal(response.status, 204);
    const [entry] = (await debugLogs(h, listener.id)).items;
    assert.equal(entry.requestId, 'accepted-1');
    assert.equal(entry.capturedAt, new Date(h.clock.now()).toISOString());
    assert.equal(entry.expiresAt, new Date(h.clock.now() + 24 * 3_600_000).toISOString());
    assert.equal(entry.method, 'POST');
    assert.equal(entry.path, `/hooks/${listener.id}`);
    assert.deepEqual(entry.query, { source: 'erp', page: '2' });
    assert.equal(entry.headers['x-custom'], 'custom value');
    assert.equal(entry.headers['content-type'], 'application/json');
    assert.deepEqual(entry.body, { encoding: 'utf8', content: body, bytes: Buffer.byteLength(body), truncated: false, source: 'raw' });
    assert.deepEqual(entry.verification, { ok: true, reason: null });
    assert.deepEqual(entry.parse, { ok: true, error: null });
    assert.equal(entry.recordCount, 2);
    assert.ok(await h.services.store.getJob(entry.jobId), 'the job id names the stored job');
    assert.equal(entry.outcome, 'accepted');
    assert.equal(entry.reason, null);
    assert.equal(entry.response.status, 204);
    assert.equal(entry.response.headers['RateLimit-Limit'], '1000');
    assert.equal(entry.response.body, null);
    assert.equal(typeof entry.durationMs, 'number');
  });

  it("records the listener's response body as sent", async () => {
    const listener = await createListener(h, { response: { status: 200, body: { received: '{{recordCount}}' } } });
    await startDebug(h, listener.id, 5);
    await h.request().post(hookPath(listener)).send({ a: 1 });
    const [entry] = (await debugLogs(h, listener.id)).items;
    assert.equal(entry.response.status, 200);
    assert.equal(entry.response.body.content, '{"received":"1"}');
    assert.equal(entry.response.headers['Content-Type'], 'application/json');
  });

  describe('refused requests, each with its precise reason', () => {
    it('401: the verifier reason the partner never sees', async () => {
      const listener = await createListener(h, { verification: { type: 'basic', username: 'acme', passwords: ['right-password-1'] } });
      await startDebug(h, listener.id, 5);
      const response = await h.request().post(hookPath(listener)).auth('acme', 'wrong-password-2').send({ a: 1 });
      assert.equal(response.status, 401);
      assert.equal(response.body.detail, 'Unauthorized');
      const [entry] = (await debugLogs(h, listener.id)).items;
      assert.deepEqual(entry.verification, { ok: false, reason: 'password mismatch' });
      assert.equal(entry.reason, 'password mismatch');
      assert.equal(entry.outcome, 'ERR_UNAUTHORIZED');
      assert.equal(entry.response.status, 401);
      assert.equal(entry.parse, null, 'nothing was parsed');
    });

    it('413: the size limit, with no body kept because none was read', async () => {
      const listener = await createListener(h, { parsing: { maxBodyBytes: 64 } });
      await startDebug(h, listener.id, 5);
      const response = await h.request().post(hookPath(listener)).send({ text: 'x'.repeat(200) });
      assert.equal(response.status, 413);
      const [entry] = (await debugLogs(h, listener.id)).items;
      assert.equal(entry.response.status, 413);
      assert.equal(entry.outcome, 'ERR_PAYLOAD_TOO_LARGE');
      assert.equal(entry.reason, 'the body is larger than this listener accepts (64 bytes)');
      assert.equal(entry.body, null);
    });

    it('415: the media type, with the body kept (as base64 when it is not text)', async () => {
      const listener = await createListener(h, {});
      await startDebug(h, listener.id, 5);
      const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x41]);
      const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/octet-stream').send(bytes);
      assert.equal(response.status, 415);
      const [entry] = (await debugLogs(h, listener.id)).items;
      assert.equal(entry.outcome, 'ERR_UNSUPPORTED_MEDIA_TYPE');
      assert.deepEqual(entry.parse, { ok: false, error: entry.reason });
      assert.match(entry.reason, /application\/octet-stream/);
      assert.deepEqual(entry.body, { encoding: 'base64', content: bytes.toString('base64'), bytes: 5, truncated: false, source: 'raw' });
    });

    it('400: where the body is malformed', async () => {
      const listener = await createListener(h, {});
      await startDebug(h, listener.id, 5);
      const response = await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send('{"a":\n  tru}');
      assert.equal(response.status, 400);
      const [entry] = (await debugLogs(h, listener.id)).items;
      assert.equal(entry.outcome, 'ERR_MALFORMED_BODY');
      assert.equal(entry.parse.ok, false);
      assert.match(entry.parse.error, /line 2/);
      assert.equal(entry.body.content, '{"a":\n  tru}', 'a body that does not parse is kept as sent');
    });

    it('400: which paths failed validation', async () => {
      const schema = { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } };
      const listener = await createListener(h, { validation: { enabled: true, schema } });
      await startDebug(h, listener.id, 5);
      const response = await h.request().post(hookPath(listener)).send({ name: 'no id' });
      assert.equal(response.status, 400);
      const [entry] = (await debugLogs(h, listener.id)).items;
      assert.equal(entry.outcome, 'ERR_VALIDATION_FAILED');
      assert.equal(entry.reason, '/id is required');
      assert.deepEqual(JSON.parse(entry.response.body.content).errors, [{ path: '/id', message: 'is required' }]);
    });

    it('429: which limit was reached', async () => {
      const listener = await createListener(h, { limits: { capacity: 1, leakPerSecond: 0.01 } });
      await startDebug(h, listener.id, 5);
      assert.equal((await h.request().post(hookPath(listener)).send({})).status, 204);
      assert.equal((await h.request().post(hookPath(listener)).send({})).status, 429);
      const [refused, accepted] = (await debugLogs(h, listener.id)).items;
      assert.equal(accepted.response.status, 204);
      assert.equal(refused.outcome, 'ERR_RATE_LIMITED');
      assert.match(refused.reason, /accepts bursts of 1/);
      assert.equal(refused.response.headers['Retry-After'], '100');
    });
  });

  it('keeps the first 1 MiB of a larger body and flags it truncated', async () => {
    const listener = await createListener(h, { parsing: { maxBodyBytes: 3 * 1024 * 1024 } });
    await startDebug(h, listener.id, 5);
    const body = JSON.stringify({ text: 'é'.repeat(800_000) });
    assert.equal((await h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send(body)).status, 204);
    const [entry] = (await debugLogs(h, listener.id)).items;
    assert.equal(entry.body.truncated, true);
    assert.equal(entry.body.bytes, Buffer.byteLength(body));
    const kept = Buffer.byteLength(entry.body.content);
    assert.ok(kept <= 1024 * 1024 && kept >= 1024 * 1024 - 1, `kept ${kept} bytes, cut between characters`);
    assert.ok(body.startsWith(entry.body.content));
  });
});

describe('debug capture limits', () => {
  it('stops recording at debug.maxEntries per session and says capped; a new session records again', async () => {
    const h = await createHarness({ overrides: { debug: { maxEntries: 3 } } });
    try {
      const listener = await createListener(h, {});
      await startDebug(h, listener.id, 5);
      for (let i = 0; i < 5; i++) assert.equal((await h.request().post(hookPath(listener)).set('X-Request-Id', `r${i}`).send({})).status, 204);
      const capped = await debugLogs(h, listener.id);
      assert.deepEqual(capped.items.map((e: any) => e.requestId), ['r2', 'r1', 'r0']);
      assert.equal(capped.capped, true);
      assert.equal(capped.debug.entries, 3);
      h.clock.advance(1);
      await startDebug(h, listener.id, 5);
      await h.request().post(hookPath(listener)).set('X-Request-Id', 'new-session').send({});
      const fresh = await debugLogs(h, listener.id);
      assert.equal(fresh.items[0].requestId, 'new-session');
      assert.equal(fresh.capped, false);
      assert.equal(fresh.items.length, 4);
    } finally {
      await h.close();
    }
  });

  it('purges entries debug.retentionHours after their capture, and only those', async () => {
    const h = await createHarness({ overrides: { debug: { retentionHours: 1 } } });
    try {
      const listener = await createListener(h, {});
      await startDebug(h, listener.id, 60);
      await h.request().post(hookPath(listener)).set('X-Request-Id', 'early').send({});
      h.clock.advanceSeconds(30 * 60);
      await h.request().post(hookPath(listener)).set('X-Request-Id', 'late').send({});
      assert.equal((await debugLogs(h, listener.id)).items.length, 2);
      h.clock.advanceSeconds(30 * 60 - 1);
      assert.equal(await h.services.observability.purge.runOnce(), 0, 'nothing is due a second before the hour');
      h.clock.advanceSeconds(1);
      assert.equal(await h.services.observability.purge.runOnce(), 1);
      assert.deepEqual((await debugLogs(h, listener.id)).items.map((e: any) => e.requestId), ['late']);
      h.clock.advanceSeconds(30 * 60);
      assert.equal(await h.services.observability.purge.runOnce(), 1);
      assert.deepEqual((await debugLogs(h, listener.id)).items, []);
    } finally {
      await h.close();
    }
  });
});
