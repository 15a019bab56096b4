import assert from 'node:assert/strict';
import { DeliveryWindow, slotsOf, type Slot } from '../../lib/flows/delivery-window';
import type { JobDoc } from '../../lib/store/store';

/** A job of `pages` pages whose records carry `key`. */
function job(seq: number, pages: number, key: string): JobDoc {
  return {
    id: `job${seq}`, listenerId: 'l', seq, requestId: `r${seq}`, receivedAt: '2026-11-01T12:00:00.000Z', recordCount: pages, meta: { key },
    pages: Array.from({ length: pages }, (_, index) => ({ index, count: 1, recordsJson: '[{}]', traceKeys: [`t${seq}.${index}`] })),
  } as unknown as JobDoc;
}

function windowOf(...jobs: JobDoc[]): DeliveryWindow {
  const window = new DeliveryWindow({ seq: jobs[0]!.seq - 1, page: 0 }, 1);
  for (const j of jobs) window.add(slotsOf(j, window.readFrom, false, () => j.meta.key as string));
  return window;
}

const names = (slots: Slot[]) => slots.map((slot) => `${slot.job.seq}.${slot.pageIndex}`);

describe('delivery window', () => {
  it('starts the first page of each key and holds the later ones until it is done', () => {
    const window = windowOf(job(1, 1, 'a'), job(2, 1, 'b'), job(3, 1, 'a'), job(4, 1, 'c'));
    const first = window.startable(16, 16);
    assert.deepEqual(names(first), ['1.0', '2.0', '4.0']);
    first.forEach((slot) => (slot.state = 'running'));
    assert.deepEqual(names(window.startable(16, 16)), [], 'job 3 waits for job 1, its key');
    first[0]!.state = 'done';
    assert.deepEqual(names(window.startable(16, 16)), ['3.0']);
  });

  it('starts nothing beyond its size or the limit, and pages without a key in any order', () => {
    const window = new DeliveryWindow({ seq: 0, page: 0 }, 1);
    for (let seq = 1; seq <= 6; seq++) window.add(slotsOf(job(seq, 1, ''), window.readFrom, false, () => null));
    assert.deepEqual(names(window.startable(4, 10)), ['1.0', '2.0', '3.0', '4.0']);
    assert.deepEqual(names(window.startable(10, 2)), ['1.0', '2.0']);
  });

  it('keeps a job’s pages in order under one key and moves the cursor only over the done front', () => {
    const window = new DeliveryWindow({ seq: 0, page: 0 }, 1);
    const [p0, p1, p2] = slotsOf(job(1, 3, 'a'), window.readFrom, false, () => 'a');
    window.add([p0!, p1!, p2!]);
    const [other] = slotsOf(job(2, 1, 'b'), window.readFrom, false, () => 'b');
    window.add([other!]);
    assert.deepEqual(names(window.startable(16, 16)), ['1.0', '2.0']);
    other!.state = 'done';
    assert.equal(window.advance(), null, 'job 2 is done but job 1 is not: the cursor stays');
    p0!.state = 'done';
    assert.deepEqual(window.advance(), { from: { seq: 0, page: 0 }, to: { seq: 0, page: 1 }, passed: [], count: 1 });
    assert.deepEqual(names(window.startable(16, 16)), ['1.1']);
    p1!.state = 'done';
    p2!.state = 'done';
    const moved = window.advance()!;
    assert.deepEqual(moved.to, { seq: 2, page: 0 }, 'over job 1 and job 2, done earlier');
    assert.deepEqual(moved.passed.map((j) => j.seq), [1, 2]);
    assert.equal(window.length, 0);
  });

  it('resumes a job in the middle: the pages before the cursor are not in the window', () => {
    const window = new DeliveryWindow({ seq: 4, page: 2 }, 1);
    window.add(slotsOf(job(5, 4, 'a'), window.readFrom, false, () => 'a'));
    assert.deepEqual(names(window.startable(16, 16)), ['5.2']);
    assert.deepEqual(window.readFrom, { seq: 5, page: 0 });
  });

  it('makes one slot without a key of a job routed elsewhere or without pages', () => {
    assert.deepEqual(slotsOf(job(7, 3, 'a'), { seq: 6, page: 0 }, true, () => 'a').map((s) => [s.pageIndex, s.key, s.skip]), [[0, null, true]]);
    assert.deepEqual(slotsOf(job(8, 0, 'a'), { seq: 7, page: 0 }, false, () => 'a').map((s) => [s.pageIndex, s.key, s.skip]), [[0, null, false]]);
  });

  it('counts the stored text of the jobs it holds until their last page is passed', () => {
    const window = windowOf(job(1, 2, 'a'), job(2, 1, 'b'));
    assert.equal(window.bytes, 3 * '[{}]'.length);
    const [page10, page20] = window.startable(16, 16);
    assert.deepEqual(names([page10!, page20!]), ['1.0', '2.0']);
    page10!.state = 'done';
    window.advance();
    assert.equal(window.bytes, 3 * '[{}]'.length, 'job 1 is held while its second page is not passed');
    const [page11] = window.startable(16, 16);
    page11!.state = 'done';
    page20!.state = 'done';
    window.advance();
    assert.equal(window.bytes, 0);
  });
});
