/**
 * Store contract, schedule section (SPEC §11): a flow's stored retry wait, how
 * long its oldest job has waited, and its queue of replays. Run by every adapter
 * through test/store/contract.ts.
 */
import assert from 'node:assert/strict';
import type { ReplayDoc, RetryWait, Store } from '../../lib/store/store';
import { randomId } from '../../lib/ids';
import { jobFor, listenerWithFlow as withFlow, takeLease } from './contract-fixtures';

function waitFor(jobId: string, overrides: Partial<RetryWait> = {}): RetryWait {
  return {
    unit: 'page|k1', jobId, pageIndex: 0, importId: randomId(), importIndex: 0, recordIndex: null, attempts: 2,
    firstAttemptAt: '2026-05-01T08:00:00.000Z', nextAttemptAt: '2026-05-01T08:02:00.000Z',
    lastError: { kind: 'http', status: 503, message: 'the destination answered 503' }, ...overrides,
  };
}

function replay(flowId: string, jobId: string, overrides: Partial<ReplayDoc> = {}): ReplayDoc {
  return { id: randomId(), flowId, jobId, afterSeq: 0, page: 0, requestedAt: '2026-05-01T08:00:00.000Z', ...overrides };
}

export function runScheduleContract(current: () => Store): void {
  describe('schedule', () => {
    const listenerWithFlow = () => withFlow(current());

    it('stores, replaces and clears one retry wait per flow', async () => {
      const store = current();
      const { flowId } = await listenerWithFlow();
      const other = await listenerWithFlow();
      assert.equal(await store.schedule.getRetryWait(flowId), null);
      const wait = waitFor(randomId());
      await store.schedule.setRetryWait(flowId, wait);
      assert.deepEqual(await store.schedule.getRetryWait(flowId), wait);
      assert.equal(await store.schedule.getRetryWait(other.flowId), null, 'each flow has its own');
      const later = { ...wait, attempts: 3, nextAttemptAt: '2026-05-01T08:08:00.000Z' };
      await store.schedule.setRetryWait(flowId, later);
      assert.deepEqual(await store.schedule.getRetryWait(flowId), later);
      await store.schedule.setRetryWait(flowId, null);
      assert.equal(await store.schedule.getRetryWait(flowId), null);
      await store.schedule.setRetryWait(randomId(), wait);
      assert.equal(await store.schedule.getRetryWait(randomId()), null, 'no flow, no wait');
    });

    it('tells when the oldest job a flow has not passed arrived', async () => {
      const store = current();
      const { listenerId, flowId } = await listenerWithFlow();
      assert.equal(await store.schedule.oldestWaiting(flowId), null);
      const first = jobFor(listenerId);
      const second = jobFor(listenerId);
      await store.appendJob(first);
      await store.appendJob(second);
      assert.equal(await store.schedule.oldestWaiting(flowId), first.receivedAt);
      const term = await takeLease(store, flowId);
      await store.advanceFlowCursor(flowId, term, { seq: 0, page: 0 }, { seq: 1, page: 0 });
      assert.equal(await store.schedule.oldestWaiting(flowId), second.receivedAt);
      await store.advanceFlowCursor(flowId, term, { seq: 1, page: 0 }, { seq: 2, page: 0 });
      assert.equal(await store.schedule.oldestWaiting(flowId), null);
    });

    it('hands out a flow’s replays in the order queued and moves each page by compare-and-set', async () => {
      const store = current();
      const { flowId } = await listenerWithFlow();
      const a = replay(flowId, randomId(), { afterSeq: 3 });
      const b = replay(flowId, randomId(), { afterSeq: 3 });
      const c = replay(flowId, randomId(), { afterSeq: 5 });
      await store.schedule.enqueueReplays([a, b]);
      await store.schedule.enqueueReplays([c]);
      await store.schedule.enqueueReplays([replay(randomId(), randomId())]);
      assert.equal(await store.schedule.countReplays(flowId), 3);
      assert.deepEqual(await store.schedule.nextReplay(flowId), a);
      assert.equal(await store.schedule.advanceReplay(a.id, 0, 1), true);
      assert.equal(await store.schedule.advanceReplay(a.id, 0, 1), false, 'no longer at page 0');
      assert.deepEqual(await store.schedule.nextReplay(flowId), { ...a, page: 1 });
      assert.equal(await store.schedule.advanceReplay(a.id, 1, null), true);
      assert.deepEqual(await store.schedule.nextReplay(flowId), b);
      assert.equal(await store.schedule.advanceReplay(b.id, 0, null), true);
      assert.deepEqual(await store.schedule.nextReplay(flowId), c);
      assert.equal(await store.schedule.countReplays(flowId), 1);
      await assert.rejects(store.schedule.enqueueReplays([replay(flowId, randomId()), { ...c }]), { name: 'DuplicateKeyError' });
      assert.equal(await store.schedule.countReplays(flowId), 1, 'nothing of a refused batch was written');
    });

    it('keeps a job a flow still has to replay out of the purge', async () => {
      const store = current();
      const { listenerId, flowId } = await listenerWithFlow();
      const job = { ...jobFor(listenerId), receivedAt: '2026-05-01T00:00:00.000Z' };
      await store.appendJob(job);
      // A newer job, so the replayed one is not the newest (which every purge keeps).
      await store.appendJob({ ...jobFor(listenerId), receivedAt: '2026-05-01T00:00:01.000Z' });
      await store.advanceFlowCursor(flowId, await takeLease(store, flowId), { seq: 0, page: 0 }, { seq: 1, page: 0 });
      const queued = replay(flowId, job.id, { afterSeq: 1 });
      await store.schedule.enqueueReplays([queued]);
      assert.equal(await store.delivery.purge('2026-06-01T00:00:00.000Z', 100), 0);
      assert.ok(await store.getJob(job.id));
      await store.schedule.advanceReplay(queued.id, 0, null);
      assert.equal(await store.delivery.purge('2026-06-01T00:00:00.000Z', 100), 1);
      assert.equal(await store.getJob(job.id), null);
    });
  });
}
