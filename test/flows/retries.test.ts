import assert from 'node:assert/strict';
import { failTimes, hang, ok, startDestination, tooManyRequests, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, until, type DeliveryHarness } from './delivery-setup';

describe('delivery retries', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination();
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  async function flowTo(importSettings: Record<string, unknown> = {}) {
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url, ...importSettings });
    const flow = await createFlow(h, listener.id, [imp.id]);
    return { listener, imp, flow };
  }

  async function openErrors(flowId: string): Promise<any[]> {
    return (await h.api().get(`/flows/${flowId}/errors`)).body.items;
  }

  const SECOND = 1000;
  /** Due times of the default spread after the first try, before jitter: maxSeconds × (3^n − 1) / 26. */
  const SPREAD_DUE = [27_692, 110_769, 360_000];

  it('retries by default about 28 s, 2 min and 6 min after the first try, jittered, with the same idempotency key', async () => {
    dest.setReply(failTimes(3));
    const { listener, flow } = await flowTo();
    const start = h.clock.now();
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    for (const [retry, due] of SPREAD_DUE.entries()) {
      const backoff = await h.scheduler.next('backoff');
      const after = backoff.due - start;
      assert.ok(after >= due * 0.8 - 1 && after <= due, `retry ${retry + 1} is due ${after} ms after the first try, expected ${due * 0.8}–${due}`);
      h.scheduler.advance(backoff.due - h.clock.now());
      await dest.waitFor(retry + 2);
    }
    await drained(h, flow.id);
    const keys = dest.received.map((r) => r.headers['idempotency-key']);
    assert.equal(keys.length, 4);
    assert.match(keys[0] as string, /^[a-f0-9]{32}$/);
    assert.equal(new Set(keys).size, 1, 'the same key on every try');
    assert.deepEqual(await openErrors(flow.id), []);

    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(5);
    assert.notEqual(dest.received[4]!.headers['idempotency-key'], keys[0], 'another page has another key');
  });

  it('opens the error only after the last attempt of the schedule, and shows the wait meanwhile', async () => {
    dest.setReply(failTimes(100, ok, 502));
    const { listener, imp, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      await dest.waitFor(attempt);
      const backoff = await h.scheduler.next('backoff');
      assert.deepEqual(await openErrors(flow.id), [], `no error while attempt ${attempt + 1} is still to come`);
      const shown = (await h.api().get(`/flows/${flow.id}`)).body;
      assert.equal(shown.retryWait.attempts, attempt);
      assert.equal(shown.retryWait.nextAttemptAt, new Date(backoff.due).toISOString());
      assert.equal(shown.retryWait.importId, imp.id);
      assert.deepEqual(shown.retryWait.lastError, { kind: 'http', status: 502, message: 'the destination answered 502' });
      const [job] = (await h.api().get(`/flows/${flow.id}/jobs`)).body.items;
      assert.equal(job.status, 'waiting');
      assert.deepEqual(
        { status: job.pages[0].status, attempts: job.pages[0].attempts, nextAttemptAt: job.pages[0].nextAttemptAt, lastError: job.pages[0].lastError.status },
        { status: 'waiting', attempts: attempt, nextAttemptAt: shown.retryWait.nextAttemptAt, lastError: 502 },
      );
      h.scheduler.advance(backoff.due - h.clock.now());
    }
    await drained(h, flow.id);
    assert.equal(dest.received.length, 4);
    const [error] = await openErrors(flow.id);
    assert.equal(error.attempts, 4);
    assert.equal(error.response.status, 502);
    assert.equal((await h.api().get(`/flows/${flow.id}`)).body.retryWait, null, 'no wait left once the error is open');
  });

  it('follows an explicit schedule of delays exactly', async () => {
    dest.setReply(failTimes(3));
    const { listener, imp, flow } = await flowTo({ retry: { policy: 'schedule', delays: [5, 300, 7200] } });
    assert.deepEqual(imp.retry, { policy: 'schedule', attempts: 3, maxSeconds: 604_800, delays: [5, 300, 7200] });
    await sendHook(h, listener, { id: 1 });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      await dest.waitFor(attempt);
      waits.push((await h.scheduler.advanceToNext('backoff')).ms);
    }
    await dest.waitFor(4);
    await drained(h, flow.id);
    assert.deepEqual(waits, [5 * SECOND, 300 * SECOND, 7200 * SECOND]);
    assert.deepEqual(await openErrors(flow.id), []);
  });

  it('refuses a schedule of more than 50 retries or longer than 7 days, naming the field', async () => {
    const tooMany = await h.api().post('/imports', { name: 'x', url: dest.url, retry: { delays: Array.from({ length: 51 }, () => 1) } });
    assert.equal(tooMany.status, 400);
    assert.match(JSON.stringify(tooMany.body), /retry\/delays/);
    const tooLong = await h.api().post('/imports', { name: 'x', url: dest.url, retry: { delays: [604_800, 60] } });
    assert.equal(tooLong.status, 400);
    assert.match(JSON.stringify(tooLong.body), /7 days/);
  });

  it('lets a flow set one retry policy for all its imports, in place of theirs', async () => {
    dest.setReply(failTimes(2));
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url, retry: { delays: [3600, 3600] } });
    const flow = await createFlow(h, listener.id, [imp.id], { retry: { delays: [7, 11] } });
    assert.deepEqual(flow.retry, { policy: 'schedule', attempts: 2, maxSeconds: 604_800, delays: [7, 11] });
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    assert.equal((await h.scheduler.advanceToNext('backoff')).ms, 7 * SECOND);
    await dest.waitFor(2);
    assert.equal((await h.scheduler.advanceToNext('backoff')).ms, 11 * SECOND);
    await dest.waitFor(3);
    await drained(h, flow.id);
    const bad = await h.api().patch(`/flows/${flow.id}`, { retry: { policy: 'spread', delays: [1] } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /\/retry\/delays/);
    const cleared = await h.api().patch(`/flows/${flow.id}`, { retry: null });
    assert.equal(cleared.body.retry, null, "back to each import's own");
  });

  it('keeps a schedule when a PATCH only sets attempts or maxSeconds, and replaces it when it names a policy', async () => {
    const imp = await createImport(h, { url: dest.url, retry: { delays: [5, 300, 7200] } });
    const kept = await h.api().patch(`/imports/${imp.id}`, { name: 'renamed', retry: { attempts: 3, maxSeconds: 604_800 } });
    assert.deepEqual(kept.body.retry, { policy: 'schedule', attempts: 3, maxSeconds: 604_800, delays: [5, 300, 7200] });
    const contradicting = await h.api().patch(`/imports/${imp.id}`, { retry: { attempts: 5 } });
    assert.equal(contradicting.status, 400);
    assert.match(JSON.stringify(contradicting.body), /retry\/attempts/);
    const replaced = await h.api().patch(`/imports/${imp.id}`, { retry: { policy: 'spread' } });
    assert.deepEqual(replaced.body.retry, { policy: 'spread', attempts: 3, maxSeconds: 360 });
  });

  it('backs off exponentially up to the cap', async () => {
    dest.setReply(failTimes(4));
    const { listener, flow } = await flowTo({ retry: { policy: 'exponential', attempts: 4, baseSeconds: 10, capSeconds: 30 } });
    await sendHook(h, listener, { id: 1 });
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await dest.waitFor(attempt);
      waits.push((await h.scheduler.advanceToNext('backoff')).ms);
    }
    await drained(h, flow.id);
    const ceilings = [10, 20, 30, 30].map((s) => s * SECOND);
    waits.forEach((wait, i) => assert.ok(wait >= ceilings[i]! * 0.8 && wait <= ceilings[i]!, `wait ${i + 1}: ${wait} ms`));
  });

  it('waits at least as long as a 429’s or 503’s Retry-After, and ignores it on a 500', async () => {
    dest.setReply(tooManyRequests(90));
    const { listener, flow } = await flowTo();
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    const backoff = await h.scheduler.next('backoff');
    assert.equal(backoff.ms, 90 * SECOND, 'longer than the default first wait: Retry-After wins');
    h.scheduler.advance(backoff.ms - 1);
    assert.equal(h.scheduler.pending('backoff').length, 1, 'still waiting one millisecond before Retry-After ends');
    h.scheduler.advance(1);
    await dest.waitFor(2);
    await drained(h, flow.id);
    assert.deepEqual(await openErrors(flow.id), []);

    dest.setReply((request, index) =>
      index === 2 ? { status: 503, headers: { 'Retry-After': '120' }, body: '' }
        : index === 4 ? { status: 500, headers: { 'Retry-After': '3000' }, body: '' }
          : ok(request, index));
    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(3);
    assert.equal((await h.scheduler.advanceToNext('backoff')).ms, 120 * SECOND, 'a 503 asks the same');
    await dest.waitFor(4);
    await sendHook(h, listener, { id: 3 });
    await dest.waitFor(5);
    assert.ok((await h.scheduler.advanceToNext('backoff')).ms <= SPREAD_DUE[0]!, 'a 500’s Retry-After is not honoured');
    await dest.waitFor(6);
    await drained(h, flow.id);
  });

  it('keeps FIFO behind a waiting page, and holds up no other flow', async () => {
    const other = await startDestination();
    try {
      dest.setReply(failTimes(1));
      const { listener, flow } = await flowTo();
      const otherListener = await noneListener(h);
      const otherImport = await createImport(h, { url: other.url });
      const otherFlow = await createFlow(h, otherListener.id, [otherImport.id]);
      await sendHook(h, listener, { id: 1 });
      await dest.waitFor(1);
      await h.scheduler.next('backoff');
      await sendHook(h, listener, { id: 2 });
      await sendHook(h, otherListener, { id: 'elsewhere' });
      await other.waitFor(1);
      await drained(h, otherFlow.id);
      assert.equal(dest.received.length, 1, 'job 2 waits behind the page waiting for its retry');
      assert.equal((await h.api().get(`/flows/${flow.id}`)).body.queueDepth, 2);
      await h.scheduler.advanceToNext('backoff');
      await dest.waitFor(3);
      await drained(h, flow.id);
      assert.deepEqual(dest.received.map((r) => r.json), [[{ id: 1 }], [{ id: 1 }], [{ id: 2 }]]);
    } finally {
      await other.close();
    }
  });

  it('reports each failed attempt and the error it ends in', async () => {
    const lines: string[] = [];
    h.services.delivery.events.subscribe({
      attemptFailed: (a) => lines.push(`attempt ${a.attempt} ${a.status} next=${a.nextAttemptAt !== null}`),
      errorOpened: (e) => lines.push(`opened ${e.kind} ${e.attempts}`),
    });
    dest.setReply(() => ({ status: 500, body: 'secret-body-text' }));
    const { listener, flow } = await flowTo({ retry: { policy: 'schedule', delays: [5] } });
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    await h.scheduler.advanceToNext('backoff');
    await drained(h, flow.id);
    assert.deepEqual(lines, ['attempt 1 500 next=true', 'attempt 2 500 next=false', 'opened http 2']);
  });

  it('gives up on a destination that hangs past timeoutSeconds once the retries are used, with a timeout error', async () => {
    dest.setReply(hang);
    const { listener, imp, flow } = await flowTo({ timeoutSeconds: 5, retry: { attempts: 1, maxSeconds: 60 } });
    await sendHook(h, listener, { id: 1 });
    await dest.waitFor(1);
    const timeout = await h.scheduler.advanceToNext('timeout');
    assert.equal(timeout.ms, 5000);
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(2);
    await h.scheduler.advanceToNext('timeout');
    await drained(h, flow.id);
    const [error] = await openErrors(flow.id);
    assert.equal(error.kind, 'timeout');
    assert.equal(error.importId, imp.id);
    assert.equal(error.attempts, 2);
    assert.equal(error.response, null);
  });

  it('records the last answer as an error once the attempts are used up, and keeps delivering the next jobs', async () => {
    dest.setReply((request, index) => (index < 3 ? { status: 502, body: 'bad gateway' } : ok(request, index)));
    const { listener, flow } = await flowTo({ retry: { delays: [1, 1] } });
    await sendHook(h, listener, { id: 1 });
    await sendHook(h, listener, { id: 2 });
    await dest.waitFor(1);
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(2);
    await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(4);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => r.json), [[{ id: 1 }], [{ id: 1 }], [{ id: 1 }], [{ id: 2 }]]);
    const [error] = await openErrors(flow.id);
    assert.equal(error.attempts, 3, 'the first try and two retries');
    assert.equal(error.response.status, 502);
    assert.equal(error.response.body, 'bad gateway');
  });

  it('does not retry when Retry-After would fall outside retry.maxSeconds', async () => {
    dest.setReply(tooManyRequests(600));
    const { listener, flow } = await flowTo({ retry: { attempts: 3, maxSeconds: 360 } });
    await sendHook(h, listener, { id: 1 });
    await drained(h, flow.id);
    assert.equal(dest.received.length, 1);
    assert.deepEqual(h.scheduler.pending('backoff'), []);
    const [error] = await openErrors(flow.id);
    assert.equal(error.response.status, 429);
    assert.equal(error.attempts, 1);
  });

  it('retries a destination that cannot be reached at all, as a network error', async () => {
    await dest.close();
    const { listener, flow } = await flowTo({ retry: { attempts: 1, maxSeconds: 60 } });
    await sendHook(h, listener, { id: 1 });
    await h.scheduler.advanceToNext('backoff');
    await until(h, async () => (await openErrors(flow.id)).length === 1);
    const [error] = await openErrors(flow.id);
    assert.equal(error.kind, 'network');
    assert.equal(error.attempts, 2);
    dest = await startDestination();
  });

  it('spaces requests to an import by its rateLimit.perSecond', async () => {
    const { listener, flow } = await flowTo({ mode: 'record', rateLimit: { perSecond: 2 } });
    await sendHook(h, listener, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    await dest.waitFor(1);
    const wait = await h.scheduler.next('rate-limit');
    assert.equal(wait.ms, 500);
    assert.equal(dest.received.length, 1, 'the second record waits for its slot');
    await h.scheduler.advanceToNext('rate-limit');
    await dest.waitFor(2);
    await h.scheduler.advanceToNext('rate-limit');
    await dest.waitFor(3);
    await drained(h, flow.id);
    assert.deepEqual(dest.received.map((r) => r.json), [{ id: 1 }, { id: 2 }, { id: 3 }]);
  });
});
