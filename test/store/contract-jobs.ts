/**
 * Store contract, jobs and queues (seqs, flow cursors, queue limits, dedup claims,
 * samples): run by every adapter through test/store/contract.ts.
 */
import assert from 'node:assert/strict';
import type { Store } from '../../lib/store/store';
import { QueueFullError } from '../../lib/store/store';
import { randomId } from '../../lib/ids';
import { stamp, listenerDoc, flowDoc, jobFor, takeLease } from './contract-fixtures';

export function runJobContract(current: () => Store): void {
  describe('jobs and queues', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it('numbers jobs 1, 2, 3 per listener and reads them back in order with their pages', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const first = jobFor(listener.id, [{ id: 'a' }, { id: 'b' }]);
      const results = [];
      for (const job of [first, jobFor(listener.id), jobFor(listener.id)]) results.push(await store.appendJob(job));
      assert.deepEqual(results.map((r) => (r.status === 'accepted' ? r.seq : -1)), [1, 2, 3]);
      const jobs = await store.readJobs(listener.id, 0, 10);
      assert.deepEqual(jobs.map((j) => j.seq), [1, 2, 3]);
      assert.equal(jobs[0]!.pages[0]!.recordsJson, '[{"id":"a"},{"id":"b"}]');
      assert.deepEqual(jobs[0]!.pages[0]!.traceKeys, ['0', '1']);
      assert.deepEqual((await store.getJob(first.id))?.meta, { method: 'POST' });
      assert.equal(await store.lastSeq(listener.id), 3);
      assert.deepEqual((await store.readJobs(listener.id, 2, 10)).map((j) => j.seq), [3]);
    });

    it('commits jobs appended in the same tick together and keeps them all', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      await store.flows.insert(flowDoc(listener.id));
      const appended = await Promise.all(Array.from({ length: 50 }, () => store.appendJob(jobFor(listener.id))));
      assert.equal(appended.filter((r) => r.status === 'accepted').length, 50);
      assert.equal((await store.readJobs(listener.id, 0, 100)).length, 50);
    });

    it('gives the first flow of a listener every job kept so far, and a later flow only new ones', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      await store.appendJob(jobFor(listener.id));
      await store.appendJob(jobFor(listener.id));
      const first = flowDoc(listener.id);
      await store.flows.insert(first);
      assert.deepEqual(await store.getFlowCursor(first.id), { seq: 0, page: 0 });
      assert.equal(await store.queueDepth(first.id), 2);
      const second = flowDoc(listener.id);
      await store.flows.insert(second);
      assert.equal(await store.queueDepth(second.id), 0);
      await store.appendJob(jobFor(listener.id));
      assert.equal(await store.queueDepth(first.id), 3);
      assert.equal(await store.queueDepth(second.id), 1);
      assert.deepEqual((await store.flows.byListener(listener.id)).map((f) => f.id), [first.id, second.id]);
    });

    it('refuses a job when a flow is full, writing nothing', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const flow = flowDoc(listener.id, { maxQueuedJobs: 2 });
      await store.flows.insert(flow);
      await store.appendJob(jobFor(listener.id));
      await store.appendJob(jobFor(listener.id));
      const refused = jobFor(listener.id);
      await assert.rejects(store.appendJob(refused), (error: unknown) => error instanceof QueueFullError && error.flowId === flow.id);
      assert.equal(await store.getJob(refused.id), null);
      assert.equal(await store.lastSeq(listener.id), 2);
    });

    it('bounds the jobs a listener with no flow keeps', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      let refused: unknown;
      for (let i = 0; i < 12 && !refused; i++) {
        try {
          await store.appendJob(jobFor(listener.id));
        } catch (error) {
          refused = error;
        }
      }
      assert.ok(refused instanceof QueueFullError && refused.flowId === null, 'the contract factory sets unattachedLimit to 10');
      assert.equal(await store.lastSeq(listener.id), 10);
    });

    it('moves a flow cursor only from where it is', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const flow = flowDoc(listener.id);
      await store.flows.insert(flow);
      await store.appendJob(jobFor(listener.id));
      const term = await takeLease(store, flow.id);
      assert.equal(await store.advanceFlowCursor(flow.id, term, { seq: 0, page: 0 }, { seq: 0, page: 1 }), true);
      assert.equal(await store.advanceFlowCursor(flow.id, term, { seq: 0, page: 0 }, { seq: 1, page: 0 }), false);
      assert.equal(await store.advanceFlowCursor(flow.id, term + 1, { seq: 0, page: 1 }, { seq: 1, page: 0 }), false, 'not for a term that is not the newest');
      assert.equal(await store.advanceFlowCursor(flow.id, term, { seq: 0, page: 1 }, { seq: 1, page: 0 }), true);
      assert.deepEqual(await store.getFlowCursor(flow.id), { seq: 1, page: 0 });
      assert.equal(await store.queueDepth(flow.id), 0);
    });

    it('a flow config change never moves its cursor', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const flow = flowDoc(listener.id);
      await store.flows.insert(flow);
      await store.appendJob(jobFor(listener.id));
      await store.advanceFlowCursor(flow.id, await takeLease(store, flow.id), { seq: 0, page: 0 }, { seq: 1, page: 0 });
      await store.flows.replace({ ...flow, enabled: false, updatedAt: stamp() });
      assert.deepEqual(await store.getFlowCursor(flow.id), { seq: 1, page: 0 });
      assert.equal((await store.flows.get(flow.id))?.enabled, false);
    });

    it('answers a live dedup claim with the original response and writes nothing', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const response = { status: 200, headers: { 'X-A': '1' }, body: '{"ok":true}' };
      const expiresAt = new Date(Date.parse(stamp()) + 60_000).toISOString();
      const first = await store.appendJob(jobFor(listener.id), { dedup: { key: 'k1', expiresAt, response } });
      assert.equal(first.status, 'accepted');
      const duplicate = jobFor(listener.id);
      const second = await store.appendJob(duplicate, { dedup: { key: 'k1', expiresAt, response } });
      assert.deepEqual(second, { status: 'duplicate', response });
      assert.equal(await store.getJob(duplicate.id), null);
      assert.deepEqual(await store.findDedup(listener.id, 'k1', new Date(Date.parse(expiresAt) - 1).toISOString()), response);
      assert.equal(await store.findDedup(listener.id, 'k1', expiresAt), null, 'a claim is dead at its expiry');
    });

    it('answers a live duplicate as one even when the flow is full, and accepts one of two same-key appends of a turn', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      await store.flows.insert(flowDoc(listener.id, { maxQueuedJobs: 2 }));
      const response = { status: 204, headers: {}, body: '' };
      const expiresAt = new Date(Date.parse(stamp()) + 60_000).toISOString();
      const both = await Promise.all([
        store.appendJob(jobFor(listener.id), { dedup: { key: 'same', expiresAt, response } }),
        store.appendJob(jobFor(listener.id), { dedup: { key: 'same', expiresAt, response } }),
      ]);
      assert.deepEqual(both.map((result) => result.status).sort(), ['accepted', 'duplicate']);
      await store.appendJob(jobFor(listener.id), { dedup: { key: 'other', expiresAt, response } });
      assert.deepEqual(await store.appendJob(jobFor(listener.id), { dedup: { key: 'same', expiresAt, response } }), { status: 'duplicate', response });
      await assert.rejects(store.appendJob(jobFor(listener.id), { dedup: { key: 'new', expiresAt, response } }), QueueFullError);
      assert.equal(await store.findDedup(listener.id, 'new', stamp()), null, 'a refused job leaves no claim');
    });

    it('replaces the response of a live claim, and purges claims once expired', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      const at = Date.parse(stamp());
      const first = { status: 204, headers: {}, body: '' };
      const sent = { status: 200, headers: { 'X-Import': 'ok' }, body: '{"imports":[]}' };
      await store.appendJob(jobFor(listener.id), { dedup: { key: 'a', expiresAt: new Date(at + 1000).toISOString(), response: first } });
      await store.appendJob(jobFor(listener.id), { dedup: { key: 'b', expiresAt: new Date(at + 5000).toISOString(), response: first } });
      await store.updateDedupResponse(listener.id, 'a', sent);
      assert.deepEqual(await store.findDedup(listener.id, 'a', new Date(at).toISOString()), sent);
      assert.equal(await store.purgeExpiredDedup(new Date(at + 1000).toISOString(), 100), 1);
      assert.equal(await store.findDedup(listener.id, 'a', new Date(at).toISOString()), null, 'the expired claim is gone');
      assert.ok(await store.findDedup(listener.id, 'b', new Date(at).toISOString()), 'the live one stays');
    });

    it('keeps the newest sample per listener', async () => {
      const listener = listenerDoc();
      await store.listeners.insert(listener);
      await Promise.all([
        store.saveSample(listener.id, { body: { n: 1 }, headers: {}, receivedAt: stamp(), contentType: 'application/json' }),
        store.saveSample(listener.id, { body: { n: 2 }, headers: { a: 'b' }, receivedAt: stamp(), contentType: 'application/json' }),
      ]);
      assert.deepEqual((await store.getSample(listener.id))?.body, { n: 2 });
      assert.equal(await store.getSample(randomId()), null);
    });
  });
}
