/**
 * Store contract for several writers: two store objects over one database, as
 * two hookport instances would have. Run by the adapters that can share their
 * data (test/store/mongo.test.ts, and SQLite over one file). What is asserted is
 * the port's promise (lib/store/store.ts): dense seqs in commit order, one winner
 * per contested lease term, dedup key and version.
 */
import assert from 'node:assert/strict';
import type { Store } from '../../lib/store/store';
import { StaleWriteError } from '../../lib/store/store';
import { randomId } from '../../lib/ids';
import { flowDoc, jobFor, listenerDoc } from './contract-fixtures';

export interface PairFactory {
  /** Two stores over the same, empty database. */
  createPair(): Promise<[Store, Store]>;
}

const T0 = Date.UTC(2026, 5, 1);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

export function runWritersContract(name: string, factory: PairFactory): void {
  describe(`store contract, two writers: ${name}`, () => {
    let a: Store;
    let b: Store;
    beforeEach(async () => {
      [a, b] = await factory.createPair();
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
    });

    it('spaces one connection’s rate-limit slots across both writers: every slot once, an interval apart', async () => {
      const at = Date.UTC(2026, 5, 1);
      const connection = { id: randomId(), settings: { name: 'shared', baseUrl: 'https://api.example', uid: null }, createdAt: new Date(at).toISOString(), updatedAt: new Date(at).toISOString() };
      await a.connections.insert(connection);
      const slots = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).connections.reserveSlot(connection.id, at, 100)));
      assert.deepEqual([...slots].sort((x, y) => x! - y!), Array.from({ length: 40 }, (_, i) => at + i * 100));
    });

    it('numbers jobs appended at once through both densely, each seq once, readable in order', async () => {
      const listener = listenerDoc();
      await a.listeners.insert(listener);
      await a.flows.insert(flowDoc(listener.id));
      const jobs = Array.from({ length: 120 }, () => jobFor(listener.id));
      const results = await Promise.all(jobs.map((job, i) => (i % 2 === 0 ? a : b).appendJob(job)));
      const seqs = results.map((r) => (r.status === 'accepted' ? r.seq : -1));
      assert.deepEqual([...seqs].sort((x, y) => x - y), Array.from({ length: 120 }, (_, i) => i + 1), 'seqs 1..120, none twice, none missing');
      const read = await b.readJobs(listener.id, 0, 200);
      assert.deepEqual(read.map((j) => j.seq), Array.from({ length: 120 }, (_, i) => i + 1));
      for (const job of read) assert.equal(job.seq, seqs[jobs.findIndex((j) => j.id === job.id)], 'the seq read is the seq acknowledged');
      assert.equal(await a.lastSeq(listener.id), 120);
      assert.equal(await b.lastSeq(listener.id), 120);
    });

    it('gives a job appended after another one was acknowledged a greater seq, whichever store took each', async () => {
      const listener = listenerDoc();
      await a.listeners.insert(listener);
      await a.flows.insert(flowDoc(listener.id));
      let previous = 0;
      for (let i = 0; i < 30; i++) {
        const result = await (i % 3 === 0 ? a : b).appendJob(jobFor(listener.id));
        assert.equal(result.status, 'accepted');
        assert.ok(result.status === 'accepted' && result.seq > previous, `job ${i} came after ${previous}`);
        previous = result.status === 'accepted' ? result.seq : previous;
      }
    });

    it('never shows a reader a later job while an earlier one is missing', async () => {
      const listener = listenerDoc();
      await a.listeners.insert(listener);
      await a.flows.insert(flowDoc(listener.id));
      let cursor = 0;
      const seen: number[] = [];
      const writing = Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).appendJob(jobFor(listener.id))));
      let done = false;
      void writing.then(() => (done = true));
      while (!done || cursor < 60) {
        for (const job of await a.readJobs(listener.id, cursor, 10)) {
          assert.equal(job.seq, cursor + 1, 'the next job read is always the next seq');
          cursor = job.seq;
          seen.push(job.seq);
        }
        if (done && cursor >= 60) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      assert.equal(seen.length, 60);
    });

    it('lets exactly one of two stores take an expired lease, and the loser’s term can no longer move the cursor', async () => {
      const listener = listenerDoc();
      await a.listeners.insert(listener);
      await a.appendJob(jobFor(listener.id));
      for (let round = 0; round < 10; round++) {
        const flow = flowDoc(listener.id);
        await a.flows.insert(flow);
        const [ta, tb] = await Promise.all([
          a.delivery.acquireFlowLease(flow.id, 'instance-a', at(0), at(60)),
          b.delivery.acquireFlowLease(flow.id, 'instance-b', at(0), at(60)),
        ]);
        assert.equal([ta, tb].filter((t) => t !== null).length, 1, `round ${round}: one winner`);
      }
      const flow = flowDoc(listener.id);
      await a.flows.insert(flow);
      const first = (await a.delivery.acquireFlowLease(flow.id, 'instance-a', at(0), at(60)))!;
      const start = (await a.getFlowCursor(flow.id))!;
      const taken = await b.delivery.acquireFlowLease(flow.id, 'instance-b', at(61), at(120));
      assert.ok(taken !== null && taken > first, 'the expired lease went to b as a new term');
      assert.equal(await a.advanceFlowCursor(flow.id, first, start, { seq: start.seq, page: 1 }), false, 'the stale holder notices');
      assert.equal(await b.advanceFlowCursor(flow.id, taken, start, { seq: start.seq, page: 1 }), true, 'the new holder goes on from the same cursor');
      assert.deepEqual(await a.getFlowCursor(flow.id), { seq: start.seq, page: 1 });
    });

    it('accepts exactly one of two requests with one dedup key sent through both at once', async () => {
      const listener = listenerDoc();
      await a.listeners.insert(listener);
      await a.flows.insert(flowDoc(listener.id));
      const expiresAt = at(3600);
      const response = { status: 200, headers: {}, body: 'ok' };
      for (let round = 0; round < 5; round++) {
        const key = `k${round}`;
        const outcomes = await Promise.allSettled([
          a.appendJob({ ...jobFor(listener.id), receivedAt: at(1) }, { dedup: { key, expiresAt, response } }),
          b.appendJob({ ...jobFor(listener.id), receivedAt: at(1) }, { dedup: { key, expiresAt, response } }),
        ]);
        const accepted = outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === 'accepted');
        assert.equal(accepted.length, 1, `round ${round}: one accepted (${JSON.stringify(outcomes.map((o) => o.status === 'fulfilled' ? o.value.status : String(o.reason)))})`);
      }
    });

    it('lets one of two writers replacing the same version win, and one of two retries of an error', async () => {
      const doc = listenerDoc();
      await a.listeners.insert(doc);
      const outcomes = await Promise.allSettled([
        a.listeners.replace({ ...doc, settings: { name: 'from a' }, updatedAt: at(5) }, doc.updatedAt),
        b.listeners.replace({ ...doc, settings: { name: 'from b' }, updatedAt: at(6) }, doc.updatedAt),
      ]);
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
      assert.ok(outcomes.some((o) => o.status === 'rejected' && o.reason instanceof StaleWriteError));

      const flowId = randomId();
      const error = {
        id: randomId(), flowId, listenerId: doc.id, jobId: randomId(), jobSeq: 1, requestId: 'r', receivedAt: at(0), pageIndex: 0,
        importId: randomId(), importIndex: 0, recordIndexes: [0], traceKeys: ['t'], kind: 'http', message: 'm', response: null, attempts: 1,
        idempotencyKey: null, retryData: null, status: 'open' as const, retryCount: 0, retryRequestedAt: null, resolvedAt: null,
        position: '000000000001.000000.000.0000000', createdAt: at(0), updatedAt: at(0),
      };
      await a.delivery.insertError(error);
      const retried = await Promise.all([a.delivery.requestRetry(error.id, at(7)), b.delivery.resolveError(error.id, at(7))]);
      assert.equal(retried.filter(Boolean).length, 1, 'one status change of the same version wins');
    });
  });
}
