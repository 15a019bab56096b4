import assert from 'node:assert/strict';
import { SqliteStore } from '../../lib/store/sqlite/sqlite-store';
import { flowDoc, jobFor, listenerDoc, takeLease } from './contract';

describe('sqlite retention purge across many listeners', () => {
  it('deletes the old passed jobs of 300 listeners in chunks of 100 and stops at the first young job of each', async () => {
    const store = new SqliteStore({ file: ':memory:' });
    const listeners = Array.from({ length: 300 }, () => listenerDoc());
    const flows = listeners.map((listener) => flowDoc(listener.id));
    for (const [index, listener] of listeners.entries()) {
      await store.listeners.insert(listener);
      await store.flows.insert(flows[index]!);
    }
    // Per listener: two old jobs, a young one, an old one stamped after it (clock skew), and the newest.
    const stamps = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '2026-03-01T00:00:00.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z'];
    for (const receivedAt of stamps) await Promise.all(listeners.map((listener) => store.appendJob({ ...jobFor(listener.id), receivedAt })));
    await Promise.all(flows.map(async (flow) => store.advanceFlowCursor(flow.id, await takeLease(store, flow.id), { seq: 0, page: 0 }, { seq: 5, page: 0 })));

    const chunks: number[] = [];
    for (let removed = 100; removed === 100;) chunks.push((removed = await store.delivery.purge('2026-02-01T00:00:00.000Z', 100)));
    assert.deepEqual(chunks, [100, 100, 100, 100, 100, 100, 0], 'two jobs of each of the 300 listeners, 100 a chunk');
    for (const listener of listeners) {
      assert.deepEqual((await store.readJobs(listener.id, 0, 10)).map((job) => job.seq), [3, 4, 5], 'the walk stopped at the young job');
    }
    await store.close();
  });
});
