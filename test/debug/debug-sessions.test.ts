import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { debugLogs, startDebug } from './helpers';

describe('debug sessions', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('starts for 15 minutes when no duration is given, and says until when', async () => {
    const listener = await createListener(h, {});
    const response = await h.api().post(`/listeners/${listener.id}/debug`);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { debugUntil: new Date(h.clock.now() + 15 * 60_000).toISOString() });
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.debugUntil, response.body.debugUntil);
  });

  it('starts for the minutes asked, from 1 to 60', async () => {
    const listener = await createListener(h, {});
    assert.equal(await startDebug(h, listener.id, 1), new Date(h.clock.now() + 60_000).toISOString());
    assert.equal(await startDebug(h, listener.id, 60), new Date(h.clock.now() + 3_600_000).toISOString());
  });

  for (const minutes of [0, 61, 1.5, '5', -3]) {
    it(`refuses minutes ${JSON.stringify(minutes)} with 400 naming /minutes`, async () => {
      const listener = await createListener(h, {});
      const response = await h.api().post(`/listeners/${listener.id}/debug`, { minutes });
      assert.equal(response.status, 400);
      assert.equal(response.body.errors[0].path, '/minutes');
      assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.debugUntil, null, 'no session started');
    });
  }

  it('answers 404 for a listener that does not exist', async () => {
    const id = 'a'.repeat(32);
    assert.equal((await h.api().post(`/listeners/${id}/debug`, { minutes: 5 })).status, 404);
    assert.equal((await h.api().delete(`/listeners/${id}/debug`)).status, 404);
    assert.equal((await h.api().get(`/listeners/${id}/debug/logs`)).status, 404);
  });

  it('captures requests during a 1-minute session and stops when the clock passes debugUntil', async () => {
    const listener = await createListener(h, {});
    const before = await h.request().post(hookPath(listener)).set('X-Request-Id', 'before-session').send({ n: 0 });
    assert.equal(before.status, 204);
    await startDebug(h, listener.id, 1);
    for (const id of ['first', 'second']) await h.request().post(hookPath(listener)).set('X-Request-Id', id).send({ n: id });
    h.clock.advanceSeconds(59);
    await h.request().post(hookPath(listener)).set('X-Request-Id', 'last-second').send({ n: 3 });
    h.clock.advanceSeconds(1);
    const after = await h.request().post(hookPath(listener)).set('X-Request-Id', 'after-session').send({ n: 4 });
    assert.equal(after.status, 204, 'the request itself is served as usual');
    const logs = await debugLogs(h, listener.id);
    assert.deepEqual(logs.items.map((entry: any) => entry.requestId), ['last-second', 'second', 'first']);
    assert.equal(logs.debug.active, false);
    assert.equal(logs.capped, false);
  });

  it('stops capturing as soon as the session is stopped', async () => {
    const listener = await createListener(h, {});
    await startDebug(h, listener.id, 10);
    await h.request().post(hookPath(listener)).set('X-Request-Id', 'during').send({});
    const stopped = await h.api().delete(`/listeners/${listener.id}/debug`);
    assert.equal(stopped.status, 204);
    await h.request().post(hookPath(listener)).set('X-Request-Id', 'after-stop').send({});
    const logs = await debugLogs(h, listener.id);
    assert.deepEqual(logs.items.map((entry: any) => entry.requestId), ['during']);
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).body.debugUntil, null);
  });

  it('records only the listener being debugged', async () => {
    const debugged = await createListener(h, {});
    const quiet = await createListener(h, {});
    await startDebug(h, debugged.id, 5);
    await h.request().post(hookPath(quiet)).send({});
    await h.request().post(hookPath(debugged)).send({});
    assert.equal((await debugLogs(h, debugged.id)).items.length, 1);
    assert.equal((await debugLogs(h, quiet.id)).items.length, 0);
  });

  it('pages newest first with limit and before, and accepts an entry id as before', async () => {
    const listener = await createListener(h, {});
    await startDebug(h, listener.id, 5);
    for (let i = 0; i < 5; i++) {
      await h.request().post(hookPath(listener)).set('X-Request-Id', `r${i}`).send({ i });
      h.clock.advance(10);
    }
    const first = await debugLogs(h, listener.id, '?limit=2');
    assert.deepEqual(first.items.map((e: any) => e.requestId), ['r4', 'r3']);
    const second = await debugLogs(h, listener.id, `?limit=2&before=${first.nextCursor}`);
    assert.deepEqual(second.items.map((e: any) => e.requestId), ['r2', 'r1']);
    const last = await debugLogs(h, listener.id, `?limit=2&before=${second.nextCursor}`);
    assert.deepEqual(last.items.map((e: any) => e.requestId), ['r0']);
    assert.equal(last.nextCursor, null);
    const olderThanR1 = await debugLogs(h, listener.id, `?before=${second.items[1].id}`);
    assert.deepEqual(olderThanR1.items.map((e: any) => e.requestId), ['r0']);
  });

  it('refuses a limit or before it cannot use, naming the parameter', async () => {
    const listener = await createListener(h, {});
    const badLimit = await h.api().get(`/listeners/${listener.id}/debug/logs?limit=0`);
    assert.equal(badLimit.status, 400);
    assert.equal(badLimit.body.errors[0].path, '/query/limit');
    const badBefore = await h.api().get(`/listeners/${listener.id}/debug/logs?before=not-an-id`);
    assert.equal(badBefore.status, 400);
    assert.equal(badBefore.body.errors[0].path, '/query/before');
  });

  it('keeps a running session across a restart', async () => {
    const local = await createHarness({ clock: h.clock });
    const listener = await createListener(local, {});
    await startDebug(local, listener.id, 10);
    await local.request().post(hookPath(listener)).send({});
    await local.services.close();
    const reopened = await createHarness({ dataDir: local.dataDir, clock: h.clock });
    try {
      await reopened.request().post(hookPath(listener)).set('X-Request-Id', 'after-restart').send({});
      const logs = await debugLogs(reopened, listener.id);
      assert.equal(logs.items.length, 2);
      assert.equal(logs.items[0].requestId, 'after-restart');
      assert.equal(logs.debug.entries, 2, 'the entry count of the session is picked up from the store');
    } finally {
      await reopened.close();
    }
  });
});
