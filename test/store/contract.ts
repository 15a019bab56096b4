/**
 * The store contract: every adapter runs this same suite (SPEC §17). Drift
 * between adapters is the classic bug of a ports-and-adapters design; this
 * suite is what prevents it. Feature areas add their own `describe` blocks
 * through the sub-suites it runs (contract-*.ts).
 */
import assert from 'node:assert/strict';
import type { Store } from '../../lib/store/store';
import { flowDoc, jobFor, listenerDoc, stamp, type StoreFactory } from './contract-fixtures';
import { runResourceContract } from './contract-resources';
import { runJobContract } from './contract-jobs';
import { runDebugLogContract } from './contract-debug';
import { runDeliveryContract } from './contract-delivery';
import { runConnectionContract } from './contract-connections';
import { runScheduleContract } from './contract-schedule';
import { runRequestHistoryContract } from './contract-requests';

export * from './contract-fixtures';

export function runStoreContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.create();
    });
    afterEach(async () => {
      await store.close();
    });

    runResourceContract(() => store);
    runJobContract(() => store);

    runDebugLogContract(() => store);
    runDeliveryContract(() => store);
    runConnectionContract(() => store);
    runScheduleContract(() => store);
    runRequestHistoryContract(() => store);

    if (factory.reopen) {
      it('keeps everything written before a reopen', async () => {
        const listener = listenerDoc();
        await store.listeners.insert(listener);
        const job = jobFor(listener.id);
        await store.appendJob(job);
        const flow = flowDoc(listener.id);
        await store.flows.insert(flow);
        const wait = { unit: 'page|k', jobId: job.id, pageIndex: 0, importId: 'i', importIndex: 0, recordIndex: null, attempts: 1,
          firstAttemptAt: stamp(), nextAttemptAt: stamp(), lastError: { kind: 'network', status: null, message: 'ECONNREFUSED' } };
        await store.schedule.setRetryWait(flow.id, wait);
        store = await factory.reopen!(store);
        assert.deepEqual(await store.listeners.get(listener.id), listener);
        assert.deepEqual(await store.schedule.getRetryWait(flow.id), wait, 'a retry wait survives a restart');
        assert.equal((await store.getJob(job.id))?.seq, 1);
      });
    }
  });
}
