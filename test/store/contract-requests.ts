/**
 * Store contract, request history section (issue 13): run by every adapter
 * through test/store/contract.ts.
 */
import assert from 'node:assert/strict';
import type { RequestRecord, Store } from '../../lib/store/store';
import { randomId, timeOrderedId } from '../../lib/ids';

const START = Date.UTC(2026, 3, 1, 9, 0, 0);

function record(listenerId: string, atMs: number, outcome = 'accepted', status = 204): RequestRecord {
  return {
    id: timeOrderedId(atMs), listenerId, requestId: randomId(), receivedAt: new Date(atMs).toISOString(), method: 'POST',
    status, outcome, reason: outcome === 'accepted' ? null : 'signature mismatch', jobId: outcome === 'accepted' ? randomId() : null,
    durationMs: 1.5,
  };
}

export function runRequestHistoryContract(store: () => Store): void {
  describe('request history', () => {
    it('lists a listener’s records newest first, exactly as written, with cursor paging', async () => {
      const listenerId = randomId();
      const written = Array.from({ length: 5 }, (_, i) => record(listenerId, START + i * 1000));
      await store().requestHistory.append(written, 100);
      await store().requestHistory.append([record(randomId(), START)], 100);
      const first = await store().requestHistory.list(listenerId, { limit: 2 });
      assert.deepEqual(first.items, [written[4], written[3]]);
      assert.equal(first.nextCursor, written[3]!.id);
      const second = await store().requestHistory.list(listenerId, { limit: 2, after: first.nextCursor! });
      assert.deepEqual(second.items, [written[2], written[1]]);
      const last = await store().requestHistory.list(listenerId, { limit: 2, after: second.nextCursor! });
      assert.deepEqual(last.items, [written[0]]);
      assert.equal(last.nextCursor, null);
    });

    it('filters by outcome and by time', async () => {
      const listenerId = randomId();
      const written = [
        record(listenerId, START, 'accepted'),
        record(listenerId, START + 60_000, 'ERR_UNAUTHORIZED', 401),
        record(listenerId, START + 120_000, 'ERR_MALFORMED_BODY', 400),
        record(listenerId, START + 180_000, 'accepted'),
      ];
      await store().requestHistory.append(written, 100);
      const refused = await store().requestHistory.list(listenerId, { limit: 10, outcomes: ['ERR_UNAUTHORIZED', 'ERR_MALFORMED_BODY'] });
      assert.deepEqual(refused.items.map((item) => item.outcome), ['ERR_MALFORMED_BODY', 'ERR_UNAUTHORIZED']);
      const window = await store().requestHistory.list(listenerId, {
        limit: 10, since: new Date(START + 60_000).toISOString(), until: new Date(START + 180_000).toISOString(),
      });
      assert.deepEqual(window.items, [written[2], written[1]], 'since is inclusive, until exclusive');
    });

    it('keeps only the newest N of each listener', async () => {
      const busy = randomId();
      const quiet = randomId();
      await store().requestHistory.append([record(quiet, START)], 3);
      const written = Array.from({ length: 7 }, (_, i) => record(busy, START + i * 1000));
      await store().requestHistory.append(written.slice(0, 4), 3);
      await store().requestHistory.append(written.slice(4), 3);
      const kept = await store().requestHistory.list(busy, { limit: 100 });
      assert.deepEqual(kept.items, [written[6], written[5], written[4]]);
      assert.equal((await store().requestHistory.list(quiet, { limit: 100 })).items.length, 1, 'other listeners keep theirs');
    });

    it('deletes a listener’s records and only those', async () => {
      const gone = randomId();
      const stays = randomId();
      await store().requestHistory.append([record(gone, START), record(gone, START + 1), record(stays, START)], 100);
      assert.equal(await store().requestHistory.deleteListener(gone), 2);
      assert.deepEqual((await store().requestHistory.list(gone, { limit: 10 })).items, []);
      assert.equal((await store().requestHistory.list(stays, { limit: 10 })).items.length, 1);
      const again = Array.from({ length: 4 }, (_, i) => record(gone, START + 10 + i));
      await store().requestHistory.append(again, 3);
      assert.deepEqual((await store().requestHistory.list(gone, { limit: 10 })).items, [again[3], again[2], again[1]], 'counted from nothing again');
    });
  });
}
