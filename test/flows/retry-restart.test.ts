import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/clock';
import { tempDir } from '../helpers/harness';
import { startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

describe('retry schedule across a restart', () => {
  let dest: Destination;
  const harnesses: DeliveryHarness[] = [];
  beforeEach(async () => {
    dest = await startDestination(() => ({ status: 503, body: 'down' }));
  });
  afterEach(async () => {
    await dest.close();
    await harnesses.pop()?.close();
    harnesses.length = 0;
  });

  it('resumes at the stored next attempt time with the attempts already made, and opens the error after the last', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
    const first = await deliveryHarness({ dataDir, clock });
    const listener = await noneListener(first);
    const imp = await createImport(first, { url: dest.url, retry: { delays: [60, 600, 3600] } });
    const flow = await createFlow(first, listener.id, [imp.id]);
    await sendHook(first, listener, { id: 1 });
    await dest.waitFor(1);
    await first.scheduler.advanceToNext('backoff');
    await dest.waitFor(2);
    const pending = await first.scheduler.next('backoff');
    assert.equal(pending.ms, 600_000);
    const stored = (await first.api().get(`/flows/${flow.id}`)).body.retryWait;
    assert.equal(stored.attempts, 2);
    assert.equal(stored.nextAttemptAt, new Date(pending.due).toISOString());

    // Stop half-way through the wait; time goes on while the server is down.
    await first.services.close();
    clock.advance(200_000);
    const second = await deliveryHarness({ dataDir, clock });
    harnesses.push(second);
    const resumed = await second.scheduler.next('backoff');
    assert.equal(resumed.due, pending.due, 'the next attempt is at the stored time, not a new schedule');
    assert.equal(resumed.ms, 400_000);
    assert.equal(dest.received.length, 2, 'nothing was sent on start');
    assert.deepEqual((await second.api().get(`/flows/${flow.id}/errors`)).body.items, []);

    second.scheduler.advance(resumed.ms);
    await dest.waitFor(3);
    assert.equal((await second.scheduler.advanceToNext('backoff')).ms, 3_600_000, 'the schedule goes on with its third delay');
    await dest.waitFor(4);
    await drained(second, flow.id);
    const [error] = (await second.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal(error.attempts, 4, 'attempts before and after the restart count together');
    assert.equal(new Set(dest.received.map((r) => r.headers['idempotency-key'])).size, 1);
    assert.equal((await second.api().get(`/flows/${flow.id}`)).body.retryWait, null);
  });

  it('sends at once after a restart when the stored time has passed', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 1, 12, 0, 0));
    const first = await deliveryHarness({ dataDir, clock });
    const listener = await noneListener(first);
    const imp = await createImport(first, { url: dest.url, retry: { delays: [60] } });
    const flow = await createFlow(first, listener.id, [imp.id]);
    await sendHook(first, listener, { id: 1 });
    await dest.waitFor(1);
    await first.scheduler.next('backoff');
    await first.services.close();
    clock.advance(3_600_000);
    const second = await deliveryHarness({ dataDir, clock });
    harnesses.push(second);
    await dest.waitFor(2);
    await drained(second, flow.id);
    const [error] = (await second.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal(error.attempts, 2);
  });
});
