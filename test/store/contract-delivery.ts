/**
 * Store contract, delivery section (SPEC §11, §17): leases, errors, the job
 * listing and the purge. Run by every adapter through test/store/contract.ts.
 */
import assert from 'node:assert/strict';
import type { DeliveryErrorDoc, Store } from '../../lib/store/store';
import { randomId } from '../../lib/ids';
import { flowDoc, jobFor, listenerDoc, listenerWithFlow as withFlow, takeLease } from './contract-fixtures';

const T0 = Date.UTC(2026, 4, 1, 8, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

function errorDoc(flowId: string, overrides: Partial<DeliveryErrorDoc> = {}): DeliveryErrorDoc {
  return {
    id: randomId(), flowId, listenerId: randomId(), jobId: randomId(), jobSeq: 1, requestId: 'r1', receivedAt: at(0),
    pageIndex: 0, importId: randomId(), importIndex: 0, recordIndexes: [0], traceKeys: ['t0'],
    kind: 'http', message: 'the destination answered 400',
    response: { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"bad"}', truncated: false, json: { error: 'bad' } },
    attempts: 1, idempotencyKey: 'k', retryData: { recordsJson: '[{"id":1}]' },
    status: 'open', retryCount: 0, retryRequestedAt: null, resolvedAt: null,
    position: '000000000001.000001.000.0000000', createdAt: at(1), updatedAt: at(1),
    ...overrides,
  };
}

export function runDeliveryContract(current: () => Store): void {
  describe('delivery', () => {
    const listenerWithFlow = () => withFlow(current());

    it('remembers where each flow started: the first at the floor, a later one at the newest job', async () => {
      const store = current();
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      await store.appendJob(jobFor(listener.id));
      const first = flowDoc(listener.id);
      await store.flows.insert(first);
      await store.appendJob(jobFor(listener.id));
      const second = flowDoc(listener.id);
      await store.flows.insert(second);
      assert.deepEqual(await store.delivery.getFlowState(first.id), { cursor: { seq: 0, page: 0 }, startSeq: 0, lease: null });
      assert.deepEqual(await store.delivery.getFlowState(second.id), { cursor: { seq: 2, page: 0 }, startSeq: 2, lease: null });
      assert.equal(await store.delivery.getFlowState(randomId()), null);
    });

    it('gives a flow lease to one owner until it expires, renews it for its owner, and frees it on release', async () => {
      const store = current();
      const { flowId } = await listenerWithFlow();
      const first = await store.delivery.acquireFlowLease(flowId, 'a', at(0), at(60));
      assert.equal(typeof first, 'number');
      assert.equal(await store.delivery.acquireFlowLease(flowId, 'b', at(30), at(90)), null, 'a live lease belongs to its owner');
      assert.equal(await store.delivery.acquireFlowLease(flowId, 'a', at(30), at(90)), first, 'the owner renews, in the same term');
      assert.deepEqual((await store.delivery.getFlowState(flowId))?.lease, { owner: 'a', until: at(90), term: first });
      assert.equal(await store.delivery.acquireFlowLease(flowId, 'b', at(89), at(150)), null);
      const second = await store.delivery.acquireFlowLease(flowId, 'b', at(90), at(150));
      assert.ok(second !== null && second > first!, 'an expired lease is free, and taking it starts a later term');
      await store.delivery.releaseFlowLease(flowId, 'a');
      assert.equal((await store.delivery.getFlowState(flowId))?.lease?.owner, 'b', 'only the owner releases');
      assert.equal(await store.delivery.acquireFlowLease(flowId, 'a', at(100), at(160)), null, 'the old owner does not renew a term it lost');
      await store.delivery.releaseFlowLease(flowId, 'b');
      assert.equal((await store.delivery.getFlowState(flowId))?.lease, null);
      const third = await store.delivery.acquireFlowLease(flowId, 'b', at(100), at(160));
      assert.ok(third !== null && third > second!, 'a released lease is taken as a new term, even by its last owner');
      assert.equal(await store.delivery.acquireFlowLease(randomId(), 'a', at(0), at(60)), null, 'no lease on a flow that does not exist');
    });

    it('records an error once per id and reads it back whole', async () => {
      const store = current();
      const error = errorDoc(randomId(), { dataUris: ['https://shop.example/1'] });
      assert.equal(await store.delivery.insertError(error), true);
      assert.equal(await store.delivery.insertError({ ...error, message: 'again' }), false);
      assert.deepEqual(await store.delivery.getError(error.id), error);
      assert.equal(await store.delivery.getError(randomId()), null);
    });

    it('lists a flow’s errors in queue order, list page by list page, filtered by status', async () => {
      const store = current();
      const flowId = randomId();
      const positions = ['000000000003.000001.000.0000000', '000000000001.000002.000.0000000', '000000000001.000001.001.0000004', '000000000002.000001.000.0000000'];
      for (const position of positions) await store.delivery.insertError(errorDoc(flowId, { position }));
      await store.delivery.insertError(errorDoc(randomId()));
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.delivery.listErrors(flowId, { limit: 3, after });
        seen.push(...page.items.map((e) => e.position));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      assert.deepEqual(seen, [...positions].sort());
      const [first] = (await store.delivery.listErrors(flowId, { limit: 1 })).items;
      await store.delivery.resolveError(first!.id, at(5));
      assert.equal((await store.delivery.listErrors(flowId, { limit: 10, status: 'open' })).items.length, 3);
      assert.deepEqual((await store.delivery.listErrors(flowId, { limit: 10, status: 'resolved' })).items.map((e) => e.id), [first!.id]);
      await assert.rejects(store.delivery.listErrors(flowId, { limit: 10, after: 'not-a-cursor' }), { name: 'InvalidCursorError' });
    });

    it('moves an error open → retrying → resolved, or back to open with the new failure, only from the right state', async () => {
      const store = current();
      const error = errorDoc(randomId());
      await store.delivery.insertError(error);
      assert.equal(await store.delivery.finishRetry(error.id, at(2), null), false, 'an open error is not being retried');
      assert.equal(await store.delivery.requestRetry(error.id, at(2)), true);
      assert.equal(await store.delivery.requestRetry(error.id, at(3)), false, 'already retrying');
      assert.equal(await store.delivery.resolveError(error.id, at(3)), false, 'a retrying error is not closed by hand');
      const failure = { kind: 'timeout', message: 'no answer', response: null, attempts: 4, importId: error.importId, importIndex: 0 };
      assert.equal(await store.delivery.finishRetry(error.id, at(4), failure), true);
      const reopened = await store.delivery.getError(error.id);
      assert.equal(reopened?.status, 'open');
      assert.equal(reopened?.kind, 'timeout');
      assert.equal(reopened?.attempts, 4);
      assert.equal(reopened?.retryCount, 1);
      assert.equal(reopened?.retryRequestedAt, null);
      assert.equal(await store.delivery.requestRetry(error.id, at(5)), true);
      assert.equal(await store.delivery.finishRetry(error.id, at(6), null), true);
      const resolved = await store.delivery.getError(error.id);
      assert.equal(resolved?.status, 'resolved');
      assert.equal(resolved?.resolvedAt, at(6));
      assert.equal(resolved?.retryCount, 2);
      assert.equal(await store.delivery.requestRetry(error.id, at(7)), true, 'a resolved error may be resubmitted');
      const again = await store.delivery.getError(error.id);
      assert.equal(again?.status, 'retrying');
      assert.equal(again?.resolvedAt, null);
    });

    it('hands out resubmitted errors oldest request first, then in queue order', async () => {
      const store = current();
      const flowId = randomId();
      const late = errorDoc(flowId, { position: '000000000001.000001.000.0000000' });
      const early = errorDoc(flowId, { position: '000000000009.000001.000.0000000' });
      const sameTimeLater = errorDoc(flowId, { position: '000000000010.000001.000.0000000' });
      for (const e of [late, early, sameTimeLater]) await store.delivery.insertError(e);
      assert.equal(await store.delivery.nextRetry(flowId), null);
      await store.delivery.requestRetry(sameTimeLater.id, at(10));
      await store.delivery.requestRetry(early.id, at(10));
      await store.delivery.requestRetry(late.id, at(20));
      const order: string[] = [];
      for (let next = await store.delivery.nextRetry(flowId); next; next = await store.delivery.nextRetry(flowId)) {
        order.push(next.id);
        await store.delivery.finishRetry(next.id, at(30), null);
      }
      assert.deepEqual(order, [early.id, sameTimeLater.id, late.id]);
    });

    it('reports the errors of given jobs and deletes a flow’s errors', async () => {
      const store = current();
      const flowId = randomId();
      const a = errorDoc(flowId, { jobId: 'job-a', pageIndex: 1 });
      const b = errorDoc(flowId, { jobId: 'job-b', pageIndex: null });
      await store.delivery.insertError(a);
      await store.delivery.insertError(b);
      await store.delivery.insertError(errorDoc(randomId(), { jobId: 'job-a' }));
      const found = await store.delivery.errorsOfJobs(flowId, ['job-a', 'job-b', 'job-c']);
      assert.deepEqual(
        found.map((e) => [e.jobId, e.pageIndex, e.status]).sort(),
        [['job-a', 1, 'open'], ['job-b', null, 'open']],
      );
      assert.deepEqual(await store.delivery.errorsOfJobs(flowId, []), []);
      assert.equal(await store.delivery.deleteFlowErrors(flowId), 2);
      assert.equal(await store.delivery.getError(a.id), null);
    });

    it('lists a listener’s jobs newest first after a seq, with pages but no records', async () => {
      const store = current();
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const jobs = [];
      for (let i = 0; i < 5; i++) {
        const job = jobFor(listener.id, [{ id: i }, { id: i + 100 }]);
        if (i === 4) job.meta = { oversized: [{ index: 2, bytes: 9_000_000, traceKey: 'big' }] };
        jobs.push(job);
        await store.appendJob(job);
      }
      const first = await store.delivery.listJobs(listener.id, 1, { limit: 3 });
      assert.deepEqual(first.items.map((j) => j.seq), [5, 4, 3]);
      assert.deepEqual(first.items[0], {
        id: jobs[4]!.id, seq: 5, requestId: jobs[4]!.requestId, receivedAt: jobs[4]!.receivedAt, recordCount: 2,
        pages: [{ index: 0, count: 2, traceKeys: ['0', '1'] }], oversizedCount: 1,
      });
      const second = await store.delivery.listJobs(listener.id, 1, { limit: 3, after: first.nextCursor! });
      assert.deepEqual(second.items.map((j) => j.seq), [2], 'jobs at or below minSeq are left out');
      assert.equal(second.nextCursor, null);
    });

    it('purges only old jobs that every flow has passed, and old resolved errors', async () => {
      const store = current();
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const fast = flowDoc(listener.id);
      const slow = flowDoc(listener.id);
      await store.flows.insert(fast);
      await store.flows.insert(slow);
      const jobs = [];
      for (let i = 0; i < 4; i++) {
        const job = { ...jobFor(listener.id), receivedAt: at(i) };
        jobs.push(job);
        await store.appendJob(job);
      }
      await store.advanceFlowCursor(fast.id, await takeLease(store, fast.id), { seq: 0, page: 0 }, { seq: 4, page: 0 });
      await store.advanceFlowCursor(slow.id, await takeLease(store, slow.id), { seq: 0, page: 0 }, { seq: 3, page: 0 });
      const resolved = errorDoc(fast.id, { status: 'resolved', updatedAt: at(1) });
      const open = errorDoc(fast.id, { updatedAt: at(1) });
      await store.delivery.insertError(resolved);
      await store.delivery.insertError(open);

      assert.equal(await store.delivery.purge(at(2), 100), 2, 'jobs 1 and 2: passed by both flows and older than the cut-off');
      assert.equal(await store.getJob(jobs[0]!.id), null);
      assert.equal(await store.getJob(jobs[1]!.id), null);
      assert.ok(await store.getJob(jobs[2]!.id), 'job 3 is passed but not old enough');
      assert.equal(await store.delivery.purge(at(10), 100), 1, 'job 4 is not passed by the slow flow');
      assert.ok(await store.getJob(jobs[3]!.id));
      assert.deepEqual((await store.readJobs(listener.id, 0, 10)).map((j) => j.seq), [4]);
      await store.advanceFlowCursor(slow.id, await takeLease(store, slow.id), { seq: 3, page: 0 }, { seq: 4, page: 0 });
      assert.equal(await store.delivery.purge(at(10), 100), 0, 'the newest job stays even when every flow passed it');
      assert.equal(await store.lastSeq(listener.id), 4);
      assert.deepEqual(await store.appendJob(jobFor(listener.id)), { status: 'accepted', seq: 5 }, 'the sequence goes on after a purge');
      assert.equal(await store.delivery.getError(resolved.id), null);
      assert.ok(await store.delivery.getError(open.id), 'open errors stay');
    });

    it('purges a listener without flows only below the floor a first flow would start from', async () => {
      const store = current();
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const flow = flowDoc(listener.id);
      await store.flows.insert(flow);
      for (let i = 0; i < 3; i++) await store.appendJob({ ...jobFor(listener.id), receivedAt: at(i) });
      await store.advanceFlowCursor(flow.id, await takeLease(store, flow.id), { seq: 0, page: 0 }, { seq: 2, page: 0 });
      await store.flows.delete(flow.id);
      assert.equal(await store.delivery.purge(at(100), 100), 2);
      assert.deepEqual((await store.readJobs(listener.id, 0, 10)).map((j) => j.seq), [3], 'the job the deleted flow had not passed waits for the next flow');
    });
  });
}
