/**
 * Store contract, debug log section (SPEC §13): run by every adapter through
 * test/store/contract.ts.
 */
import assert from 'node:assert/strict';
import type { DebugLogEntry, Store } from '../../lib/store/store';
import { DuplicateKeyError } from '../../lib/store/store';
import { debugEntryId } from '../../lib/debug/entry-id';
import { randomId } from '../../lib/ids';

const START = Date.UTC(2026, 2, 1, 9, 0, 0);
const HOUR = 3_600_000;

function entry(listenerId: string, capturedAtMs: number, overrides: Partial<DebugLogEntry> = {}): DebugLogEntry {
  return {
    id: debugEntryId(capturedAtMs),
    listenerId,
    session: new Date(START + HOUR).toISOString(),
    capturedAt: new Date(capturedAtMs).toISOString(),
    expiresAt: new Date(capturedAtMs + 24 * HOUR).toISOString(),
    data: { method: 'POST', response: { status: 204 }, nested: { list: [1, 'two', null] } },
    ...overrides,
  };
}

export function runDebugLogContract(store: () => Store): void {
  describe('debug logs', () => {
    it('reads entries back newest first, exactly as written', async () => {
      const listenerId = randomId();
      const written = [entry(listenerId, START), entry(listenerId, START + 1000), entry(listenerId, START + 2000)];
      await store().debugLogs.append(written);
      const page = await store().debugLogs.list(listenerId, { limit: 10 });
      assert.deepEqual(page.items, [...written].reverse());
      assert.equal(page.nextCursor, null);
    });

    it('keeps capture order for entries of the same millisecond', async () => {
      const listenerId = randomId();
      const written = Array.from({ length: 5 }, () => entry(listenerId, START));
      await store().debugLogs.append(written);
      const page = await store().debugLogs.list(listenerId, { limit: 10 });
      assert.deepEqual(page.items.map((e) => e.id), written.map((e) => e.id).reverse());
    });

    it('pages with nextCursor and before, and accepts any entry id as before', async () => {
      const listenerId = randomId();
      const written = Array.from({ length: 5 }, (_, i) => entry(listenerId, START + i * 1000));
      await store().debugLogs.append(written);
      const first = await store().debugLogs.list(listenerId, { limit: 2 });
      assert.deepEqual(first.items.map((e) => e.id), [written[4]!.id, written[3]!.id]);
      assert.equal(first.nextCursor, written[3]!.id);
      const second = await store().debugLogs.list(listenerId, { limit: 2, before: first.nextCursor! });
      assert.deepEqual(second.items.map((e) => e.id), [written[2]!.id, written[1]!.id]);
      const last = await store().debugLogs.list(listenerId, { limit: 2, before: second.nextCursor! });
      assert.deepEqual(last.items.map((e) => e.id), [written[0]!.id]);
      assert.equal(last.nextCursor, null);
      const fromId = await store().debugLogs.list(listenerId, { limit: 10, before: written[1]!.id });
      assert.deepEqual(fromId.items.map((e) => e.id), [written[0]!.id]);
    });

    it("keeps one listener's entries out of another's list", async () => {
      const mine = randomId();
      const theirs = randomId();
      await store().debugLogs.append([entry(mine, START), entry(theirs, START)]);
      assert.equal((await store().debugLogs.list(mine, { limit: 10 })).items.length, 1);
      assert.deepEqual((await store().debugLogs.list(randomId(), { limit: 10 })).items, []);
    });

    it('counts the entries of one session', async () => {
      const listenerId = randomId();
      const session = new Date(START + 2 * HOUR).toISOString();
      await store().debugLogs.append([
        entry(listenerId, START, { session }),
        entry(listenerId, START + 1, { session }),
        entry(listenerId, START + 2),
      ]);
      assert.equal(await store().debugLogs.countSession(listenerId, session), 2);
      assert.equal(await store().debugLogs.countSession(randomId(), session), 0);
    });

    it('purges exactly the entries whose expiresAt has come', async () => {
      const listenerId = randomId();
      const old = entry(listenerId, START, { expiresAt: new Date(START + HOUR).toISOString() });
      const due = entry(listenerId, START + 1, { expiresAt: new Date(START + 2 * HOUR).toISOString() });
      const young = entry(listenerId, START + 2, { expiresAt: new Date(START + 3 * HOUR).toISOString() });
      await store().debugLogs.append([old, due, young]);
      assert.equal(await store().debugLogs.purgeExpired(new Date(START + 2 * HOUR).toISOString()), 2);
      assert.deepEqual((await store().debugLogs.list(listenerId, { limit: 10 })).items.map((e) => e.id), [young.id]);
      assert.equal(await store().debugLogs.purgeExpired(new Date(START + 2 * HOUR).toISOString()), 0);
    });

    it('purges more entries than one purge chunk holds', async () => {
      const listenerId = randomId();
      const expired = Array.from({ length: 2500 }, (_, i) => entry(listenerId, START + i, { expiresAt: new Date(START).toISOString() }));
      await store().debugLogs.append(expired);
      assert.equal(await store().debugLogs.purgeExpired(new Date(START + HOUR).toISOString()), 2500);
      assert.deepEqual((await store().debugLogs.list(listenerId, { limit: 10 })).items, []);
    });

    it('refuses a repeated id and writes nothing of that append', async () => {
      const listenerId = randomId();
      const first = entry(listenerId, START);
      await store().debugLogs.append([first]);
      await assert.rejects(store().debugLogs.append([entry(listenerId, START + 1), first]), DuplicateKeyError);
      assert.equal((await store().debugLogs.list(listenerId, { limit: 10 })).items.length, 1);
    });
  });
}
