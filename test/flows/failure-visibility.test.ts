/**
 * What an operator sees of a failing destination: one log line per failed
 * attempt and per opened error, never a body or a secret, and the counters.
 */
import assert from 'node:assert/strict';
import { createLogger } from '../../lib/logger';
import { startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

describe('delivery failures, as logs and metrics', () => {
  const lines: string[] = [];
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    lines.length = 0;
    h = await deliveryHarness({ logger: createLogger('info', { write: (line: string) => void lines.push(line) }) });
    dest = await startDestination(() => ({ status: 503, body: 'the-destination-body-7f3k' }));
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  it('logs each failed attempt with its next attempt time, then the opened error, without body, headers or secrets', async () => {
    const listener = await noneListener(h);
    const imp = await createImport(h, {
      url: `${dest.url}/orders?token=url-secret-2m9v`, retry: { delays: [30] },
      headers: [{ name: 'Authorization', value: 'Bearer private-header-5p1x', private: true }],
    });
    const flow = await createFlow(h, listener.id, [imp.id]);
    await sendHook(h, listener, { id: 1, card: 'record-secret-8q4d' });
    await dest.waitFor(1);
    const backoff = await h.scheduler.advanceToNext('backoff');
    await dest.waitFor(2);
    await drained(h, flow.id);
    const [error] = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;

    const events = lines.map((line) => JSON.parse(line)).filter((entry) => String(entry.event).startsWith('delivery.'));
    const where = { flowId: flow.id, importId: imp.id, jobId: error.jobId, pageIndex: 0 };
    assert.deepEqual(
      events.map(({ level, event, flowId, importId, jobId, pageIndex, attempt, status, nextAttemptAt, attempts, errorId }) =>
        ({ level, event, flowId, importId, jobId, pageIndex, attempt, status, nextAttemptAt, attempts, errorId })),
      [
        { level: 40, event: 'delivery.attempt_failed', ...where, attempt: 1, status: 503, nextAttemptAt: new Date(backoff.due).toISOString(), attempts: undefined, errorId: undefined },
        { level: 40, event: 'delivery.attempt_failed', ...where, attempt: 2, status: 503, nextAttemptAt: null, attempts: undefined, errorId: undefined },
        { level: 50, event: 'delivery.error_opened', ...where, attempt: undefined, status: 503, nextAttemptAt: undefined, attempts: 2, errorId: error.id },
      ],
    );
    const all = lines.join('\n');
    for (const secret of ['the-destination-body-7f3k', 'url-secret-2m9v', 'private-header-5p1x', 'record-secret-8q4d']) {
      assert.equal(all.includes(secret), false, `${secret} is in the logs`);
    }
  });

  it('logs a network failure with its error, and counts failures by reason and opened errors by kind', async () => {
    await dest.close();
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url, retry: { delays: [5] } });
    const flow = await createFlow(h, listener.id, [imp.id]);
    await sendHook(h, listener, { id: 1 });
    await h.scheduler.advanceToNext('backoff');
    await drained(h, flow.id);
    const failed = lines.map((line) => JSON.parse(line)).filter((entry) => entry.event === 'delivery.attempt_failed');
    assert.equal(failed.length, 2);
    assert.equal(failed[0].kind, 'network');
    assert.equal(failed[0].status, null);
    assert.match(failed[0].error, /ECONNREFUSED/);
    const metrics = (await h.request().get('/metrics')).text;
    assert.ok(metrics.includes(`hookport_delivery_attempt_failures_total{flow="${flow.id}",import="${imp.id}",reason="network"} 2`), metrics);
    assert.ok(metrics.includes(`hookport_delivery_errors_opened_total{flow="${flow.id}",import="${imp.id}",kind="network"} 1`), metrics);
    dest = await startDestination();
  });

  it('shows the age of the oldest job a flow has not passed, in status and metrics', async () => {
    const listener = await noneListener(h);
    const imp = await createImport(h, { url: dest.url });
    const flow = await createFlow(h, listener.id, [imp.id], { enabled: false });
    await sendHook(h, listener, { id: 1 });
    h.clock.advanceSeconds(125);
    await sendHook(h, listener, { id: 2 });
    assert.equal((await h.api().get(`/flows/${flow.id}`)).body.oldestWaitingSeconds, 125);
    const metrics = (await h.request().get('/metrics')).text;
    assert.ok(metrics.includes(`hookport_oldest_waiting_seconds{flow="${flow.id}"} 125`), metrics);
  });
});
