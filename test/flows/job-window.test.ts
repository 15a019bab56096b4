import assert from 'node:assert/strict';
import { JobWindow } from '../../lib/flows/job-window';
import type { JobDoc, Store } from '../../lib/store/store';

describe('job window (read ahead)', () => {
  function jobsStore(count: number): Store & { reads: Array<[number, number]> } {
    const jobs = Array.from({ length: count }, (_, i) => ({
      id: `job${i + 1}`, listenerId: 'l', seq: i + 1, pages: [{ recordsJson: '[{"n":1}]', count: 1, traceKeys: ['t'] }],
    })) as unknown as JobDoc[];
    const store = {
      reads: [] as Array<[number, number]>,
      async readJobs(_listenerId: string, afterSeq: number, limit: number): Promise<JobDoc[]> {
        store.reads.push([afterSeq, limit]);
        return jobs.filter((job) => job.seq > afterSeq).slice(0, limit);
      },
    };
    return store as unknown as Store & typeof store;
  }

  it('hands out every job in order with one read per batch, and reads again when the cursor is elsewhere', async () => {
    const store = jobsStore(1000);
    const window = new JobWindow(store, 'l');
    const seen: number[] = [];
    for (let seq = 0; ; ) {
      const job = await window.jobAfter(seq);
      if (!job) break;
      seen.push(job.seq);
      seq = job.seq;
    }
    assert.deepEqual(seen, Array.from({ length: 1000 }, (_, i) => i + 1));
    assert.ok(store.reads.length < 20, `1,000 jobs in a few reads (got ${store.reads.length})`);
    const before = store.reads.length;
    assert.equal((await window.jobAfter(500))?.seq, 501, 'a cursor the window does not expect is read from the store');
    assert.equal(store.reads.length, before + 1);
  });
});
