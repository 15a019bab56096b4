/**
 * The retention purge (issue 16 target 5: "keeps up with target 1's rate"),
 * measured in the bench process on an embedded store of its own: `jobs`
 * single-record jobs with dedup claims, as the github listener stores them,
 * all older than the retention and passed by their flow, then deleted by the
 * same purge the delivery engine runs every ten minutes. It runs on the event
 * loop in chunks (lib/flows/purge.ts): the event loop's longest delay meanwhile
 * is how long it holds up ingest at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { purgeCompletedJobs } from '../lib/flows/purge';
import { timeOrderedId } from '../lib/ids';
import { SqliteStore } from '../lib/store/sqlite/sqlite-store';

export interface PurgeFigures {
  jobs: number;
  seconds: number;
  /** The event loop's longest delay while the purge ran. */
  longestStallMs: number;
}

export async function measurePurge(jobs: number, recordJson: string): Promise<PurgeFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookport-purge-'));
  const store = new SqliteStore({ file: path.join(dir, 'hookport.db') });
  try {
    const now = new Date().toISOString();
    const listenerId = timeOrderedId(Date.now());
    const flowId = timeOrderedId(Date.now());
    await store.listeners.insert({ id: listenerId, createdAt: now, updatedAt: now, name: 'purge', settings: {}, deletedAt: null } as never);
    await store.flows.insert({ id: flowId, createdAt: now, updatedAt: now, name: 'purge', listenerId, imports: [], enabled: false, maxQueuedJobs: jobs + 1 } as never);
    const arrived = Date.now() - 2 * 86_400_000;
    const response = { status: 204, headers: {}, body: '' };
    for (let done = 0; done < jobs;) {
      const round = Math.min(500, jobs - done);
      await Promise.all(Array.from({ length: round }, (_, i) => {
        const id = timeOrderedId(arrived + done + i);
        return store.appendJob(
          { id, listenerId, requestId: id, receivedAt: new Date(arrived + done + i).toISOString(), recordCount: 1, pages: [{ count: 1, traceKeys: [], recordsJson: `[${recordJson}]` }], meta: { method: 'POST' } },
          { dedup: { key: id, expiresAt: new Date(arrived + 86_400_000).toISOString(), response } },
        );
      }));
      done += round;
    }
    const term = (await store.delivery.acquireFlowLease(flowId, 'bench', now, new Date(Date.now() + 60_000).toISOString()))!;
    await store.advanceFlowCursor(flowId, term, { seq: 0, page: 0 }, { seq: jobs, page: 0 });

    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    const removed = await purgeCompletedJobs(store, Date.now() - 86_400_000);
    const seconds = (performance.now() - started) / 1000;
    delay.disable();
    return { jobs: removed, seconds, longestStallMs: delay.max / 1e6 };
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
