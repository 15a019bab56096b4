/**
 * Store contract, resource collections (CRUD, list pages, API key lookups): run by
 * every adapter through test/store/contract.ts.
 */
import assert from 'node:assert/strict';
import type { Store } from '../../lib/store/store';
import { DuplicateKeyError, StaleWriteError } from '../../lib/store/store';
import { randomId } from '../../lib/ids';
import { stamp, listenerDoc } from './contract-fixtures';

export function runResourceContract(current: () => Store): void {
  describe('resource collections', () => {
    let store: Store;
    beforeEach(() => {
      store = current();
    });

    it('inserts and reads back a document', async () => {
      const doc = listenerDoc({ settings: { name: 'orders', nested: { a: [1, 2] } } });
      await store.listeners.insert(doc);
      assert.deepEqual(await store.listeners.get(doc.id), doc);
    });

    it('answers null for an unknown id', async () => {
      assert.equal(await store.listeners.get(randomId()), null);
      assert.equal(await store.imports.get(randomId()), null);
    });

    it('refuses a second document with the same id', async () => {
      const doc = listenerDoc();
      await store.listeners.insert(doc);
      await assert.rejects(store.listeners.insert(doc), DuplicateKeyError);
    });

    it('lists in creation order, list page by list page, with nextCursor null at the end', async () => {
      const docs = [];
      for (let i = 0; i < 5; i++) {
        const doc = { id: randomId(), settings: { name: `i${i}` }, createdAt: stamp(), updatedAt: stamp() };
        docs.push(doc);
        await store.imports.insert(doc);
      }
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.imports.list({ limit: 2, after });
        seen.push(...page.items.map((d) => d.id));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      assert.deepEqual(seen, docs.map((d) => d.id));
    });

    it('replaces only when unchanged since read, when asked to check', async () => {
      const doc = listenerDoc();
      await store.listeners.insert(doc);
      const next = { ...doc, settings: { name: 'new' }, updatedAt: stamp() };
      assert.deepEqual(await store.listeners.replace(next, doc.updatedAt), next);
      await assert.rejects(store.listeners.replace({ ...next, updatedAt: stamp() }, doc.updatedAt), StaleWriteError);
      assert.equal(await store.listeners.replace(listenerDoc()), null, 'an unknown id is not created');
    });

    it('deletes', async () => {
      const doc = listenerDoc();
      await store.imports.insert({ id: doc.id, settings: {}, createdAt: doc.createdAt, updatedAt: doc.updatedAt });
      assert.equal(await store.imports.delete(doc.id), true);
      assert.equal(await store.imports.delete(doc.id), false);
      assert.equal(await store.imports.get(doc.id), null);
    });

    it('keeps a deleted listener readable but out of the list', async () => {
      const kept = listenerDoc();
      const gone = listenerDoc();
      await store.listeners.insert(kept);
      await store.listeners.insert(gone);
      assert.equal(await store.listeners.markDeleted(gone.id, stamp()), true);
      const listed = await store.listeners.list({ limit: 10 });
      assert.deepEqual(listed.items.map((d) => d.id), [kept.id]);
      assert.ok((await store.listeners.get(gone.id))?.deletedAt);
      assert.equal((await store.listeners.all()).length, 2);
    });

    it('finds API keys by hash and counts them', async () => {
      const at = stamp();
      await store.apiKeys.insert({ id: randomId(), name: 'k', role: 'support', keyHash: 'h1', keyPrefix: 'hpk_abcd', createdAt: at, updatedAt: at });
      assert.equal((await store.apiKeys.findByHash('h1'))?.role, 'support');
      assert.equal(await store.apiKeys.findByHash('h2'), null);
      assert.equal(await store.apiKeys.count(), 1);
    });
  });
}
