import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/clock';
import { ManualScheduler } from '../../lib/scheduler';
import { RequestPacer } from '../../lib/imports/request-pacer';

describe('import rate limit (request pacer)', () => {
  it('lets the first request go at once and spaces the next ones 1/perSecond apart, in order', async () => {
    const clock = new ManualClock();
    const scheduler = new ManualScheduler(clock);
    const pacer = new RequestPacer(4, clock, scheduler);
    const done: number[] = [];
    const takes = [0, 1, 2].map((n) => pacer.take().then(() => done.push(n)));
    await takes[0];
    assert.deepEqual(scheduler.pending('rate-limit').map((s) => s.ms), [250, 500]);
    scheduler.advance(250);
    await takes[1];
    assert.deepEqual(done, [0, 1]);
    scheduler.advance(250);
    await takes[2];
    assert.deepEqual(done, [0, 1, 2]);
  });

  it('does not let a quiet period build up a burst', async () => {
    const clock = new ManualClock();
    const scheduler = new ManualScheduler(clock);
    const pacer = new RequestPacer(1, clock, scheduler);
    await pacer.take();
    clock.advance(60_000);
    await pacer.take();
    const third = pacer.take();
    assert.deepEqual(scheduler.pending('rate-limit').map((s) => s.ms), [1000]);
    scheduler.advance(1000);
    await third;
  });
});
