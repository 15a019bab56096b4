import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/clock';
import { ManualScheduler, realScheduler, schedulerFor } from '../../lib/scheduler';

describe('manual scheduler', () => {
  it('ends sleeps only when time is moved, earliest first, and moves the clock with them', async () => {
    const clock = new ManualClock(1000);
    const scheduler = new ManualScheduler(clock);
    const ended: string[] = [];
    const long = scheduler.sleep(300, { reason: 'backoff' }).then(() => ended.push('long'));
    const short = scheduler.sleep(100, { reason: 'timeout' }).then(() => ended.push('short'));
    scheduler.advance(99);
    await Promise.resolve();
    assert.deepEqual(ended, []);
    scheduler.advance(300);
    await Promise.all([long, short]);
    assert.deepEqual(ended, ['short', 'long']);
    assert.equal(clock.now(), 1399);
  });

  it('finds the next sleep for a reason, even one that starts later', async () => {
    const scheduler = new ManualScheduler(new ManualClock(0));
    const found = scheduler.next('backoff');
    void scheduler.sleep(50, { reason: 'poll' });
    const backoff = scheduler.sleep(700, { reason: 'backoff' });
    assert.deepEqual(await found, { reason: 'backoff', due: 700, ms: 700 });
    await scheduler.advanceToNext('backoff');
    await backoff;
  });

  it('rejects an aborted sleep with the signal’s reason and forgets it', async () => {
    const scheduler = new ManualScheduler(new ManualClock(0));
    const controller = new AbortController();
    const sleep = scheduler.sleep(100, { signal: controller.signal, reason: 'backoff' });
    controller.abort(new Error('stopped'));
    await assert.rejects(sleep, /stopped/);
    assert.deepEqual(scheduler.pending(), []);
  });

  it('is what a ManualClock gets; the system clock gets real timers', () => {
    assert.ok(schedulerFor(new ManualClock()) instanceof ManualScheduler);
    assert.equal(schedulerFor({ now: () => Date.now() }), realScheduler);
  });
});
