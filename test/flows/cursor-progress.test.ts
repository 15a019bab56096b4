import assert from 'node:assert/strict';
import { COMMIT_EVERY_MS, COMMIT_EVERY_PAGES, CursorProgress, type CommitReport } from '../../lib/flows/cursor-progress';
import type { FlowCursor, Store } from '../../lib/store/store';

/** A store that only moves one flow's cursor (compare-and-set on the term) and counts the commits. */
function cursorStore(term = 1): Store & { stored: FlowCursor; commits: number; term: number } {
  const store = {
    stored: { seq: 0, page: 0 },
    commits: 0,
    term,
    async advanceFlowCursor(_flowId: string, moveTerm: number, from: FlowCursor, to: FlowCursor): Promise<boolean> {
      store.commits++;
      if (moveTerm !== store.term || from.seq !== store.stored.seq || from.page !== store.stored.page) return false;
      store.stored = to;
      return true;
    },
  };
  return store as unknown as Store & typeof store;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cursor progress (batched commits)', () => {
  it('commits many pages in one move, once COMMIT_EVERY_PAGES are waiting, and the rest when asked', async () => {
    const store = cursorStore();
    const reports: CommitReport[] = [];
    const progress = new CursorProgress(store, 'f', 1, { seq: 0, page: 0 }, (report) => reports.push(report));
    for (let seq = 1; seq <= 250; seq++) progress.move({ seq, page: 0 }, `job${seq}`);
    assert.deepEqual(progress.position, { seq: 250, page: 0 }, 'the worker stands past every page at once');
    await progress.settle();
    assert.deepEqual(store.stored, { seq: 250, page: 0 });
    assert.ok(store.commits <= 3, `250 pages in at most 3 commits (got ${store.commits})`);
    assert.ok(store.commits >= Math.floor(250 / COMMIT_EVERY_PAGES), 'a full batch does not wait');
    assert.deepEqual(reports.flatMap((r) => r.passed), Array.from({ length: 250 }, (_, i) => `job${i + 1}`), 'every passed job reported once, in order');
  });

  it('commits a few pages on its own within COMMIT_EVERY_MS, so a crash re-sends no more than those', async () => {
    const store = cursorStore();
    const progress = new CursorProgress(store, 'f', 1, { seq: 0, page: 0 }, () => undefined);
    progress.move({ seq: 0, page: 1 });
    progress.move({ seq: 1, page: 0 }, 'job1');
    assert.equal(store.commits, 0, 'not one commit per page');
    for (const deadline = Date.now() + 5_000; store.commits === 0; ) {
      assert.ok(Date.now() < deadline, 'committed without being asked');
      await sleep(COMMIT_EVERY_MS);
    }
    await progress.settle();
    assert.deepEqual(store.stored, { seq: 1, page: 0 });
    assert.equal(store.commits, 1);
  });

  it('turns broken when the store refuses a move (another term began), and stops committing', async () => {
    const store = cursorStore();
    const reports: CommitReport[] = [];
    const progress = new CursorProgress(store, 'f', 1, { seq: 0, page: 0 }, (report) => reports.push(report));
    store.term = 2;
    progress.move({ seq: 1, page: 0 }, 'job1');
    await progress.settle();
    assert.equal(progress.broken, true);
    assert.deepEqual(reports, [{ passed: [], moved: false }]);
    progress.move({ seq: 2, page: 0 }, 'job2');
    await progress.settle();
    assert.equal(store.commits, 1, 'nothing more is written under the old term');
    assert.deepEqual(store.stored, { seq: 0, page: 0 });
  });

  it('makes the worker wait (room()) once COMMIT_EVERY_PAGES moves are uncommitted, so a slow commit cannot widen what a crash re-sends', async () => {
    const store = cursorStore();
    const slow = store.advanceFlowCursor.bind(store);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    (store as unknown as { advanceFlowCursor: typeof slow }).advanceFlowCursor = async (...args) => {
      await held;
      return slow(...args);
    };
    const progress = new CursorProgress(store, 'f', 1, { seq: 0, page: 0 }, () => undefined);
    for (let seq = 1; seq < COMMIT_EVERY_PAGES; seq++) {
      progress.move({ seq, page: 0 }, `job${seq}`);
      let free = false;
      await Promise.race([progress.room().then(() => (free = true)), sleep(1)]);
      assert.equal(free, true, `room after ${seq} uncommitted pages`);
    }
    progress.move({ seq: COMMIT_EVERY_PAGES, page: 0 }, `job${COMMIT_EVERY_PAGES}`);
    assert.equal(progress.uncommitted, COMMIT_EVERY_PAGES, 'a full batch is being committed');
    let free = false;
    const room = progress.room().then(() => (free = true));
    await sleep(30);
    assert.equal(free, false, 'no room while the full batch is still being committed');
    release();
    await room;
    assert.ok(progress.uncommitted < COMMIT_EVERY_PAGES, 'room once the commit under way ended');
    await progress.settle();
    assert.equal(progress.uncommitted, 0);
    assert.deepEqual(store.stored, { seq: COMMIT_EVERY_PAGES, page: 0 });
  });
});
