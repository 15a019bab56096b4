/**
 * Finding 1 of #11, for every body kind: the largest request a listener accepts
 * by default is received, parsed, split, paged, stored and answered — and its
 * sample written — without stalling the event loop for long, and nothing of it
 * is lost. Two bounds, both safety checks (the figures themselves come from
 * `npm run bench:hostile` and are in the closing note; before the fix: JSON
 * 100–290 ms, flat XML 0.7–3 s):
 * - the CPU time the event-loop thread spent without giving the loop a turn,
 *   which the load of a shared machine does not change;
 * - the event-loop delay seen by perf_hooks.monitorEventLoopDelay, with room for
 *   a 2-core machine at load 10 that deschedules the process for 100–200 ms.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { maximalBodies } from './maximal-bodies';
import { measure, send, summary, type Measured, type Reply } from './probe';

/** Most CPU time on the event-loop thread between two turns, ms (the bench: ≤ 50 ms). */
const LOOP_CPU_BOUND_MS = 100;
/** Longest event-loop delay accepted, ms, whatever the machine's load. */
const LOOP_DELAY_BOUND_MS = 500;

describe('hostile: maximal bodies of every kind', () => {
  let h: Harness;
  let base: string;
  let plain: { id: string };
  before(async () => {
    h = await createHarness();
    base = await h.listen();
    plain = await createListener(h, {});
  });
  after(() => h.close());

  for (const maximal of maximalBodies()) {
    it(`${maximal.name}: stored whole, the event loop never held for ${LOOP_CPU_BOUND_MS} ms`, async function () {
      this.timeout(60_000);
      const listener = await createListener(h, maximal.settings);
      const headers = { 'Content-Type': maximal.contentType };
      assert.ok(Buffer.byteLength(maximal.body) <= 5 * 1024 * 1024);
      // Two tries: one stall of a shared machine's scheduler must not fail the suite; a real stall fails both.
      let measured: Measured<Reply> | undefined;
      const within = (m: Measured<Reply>) => m.maxLoopCpuMs < LOOP_CPU_BOUND_MS && m.maxLoopDelayMs < LOOP_DELAY_BOUND_MS;
      for (let attempt = 0; attempt < 2 && (!measured || !within(measured)); attempt++) {
        measured = await measure(async () => {
          const reply = await send(base, hookPath(listener), { headers, body: maximal.body, timeoutMs: 30_000 });
          // The sample is written after the answer: its serialisation and write count too.
          await h.services.samples.settled();
          return reply;
        });
        assert.equal(measured.result.status, 204, summary(measured));
      }
      assert.ok(within(measured!), summary(measured!));
      const jobs = await h.services.store.readJobs(listener.id, 0, 10);
      assert.ok(jobs.length >= 1);
      for (const job of jobs) {
        assert.equal(job.recordCount, maximal.records);
        const stored = job.pages.reduce((sum, page) => sum + (JSON.parse(page.recordsJson) as unknown[]).length, 0);
        assert.equal(stored, maximal.records, 'every record is in the stored pages');
      }
      const sample = await h.services.store.getSample(listener.id);
      assert.ok(sample && sample.body !== undefined, 'the sample was kept');
      const normal = await send(base, hookPath(plain), { headers: { 'Content-Type': 'application/json' }, body: '{"id":1}' });
      assert.equal(normal.status, 204);
    });
  }
});
