/**
 * Store contract, connections section (issue 14): run by every adapter through
 * test/store/contract.ts. Each operation is one single-document write or an
 * indexed query, so a MongoDB adapter maps them one to one.
 */
import assert from 'node:assert/strict';
import type { ConnectionDoc, ImportDoc, Store } from '../../lib/store/store';
import { DuplicateKeyError } from '../../lib/store/store';
import { randomId } from '../../lib/ids';
import { listenerDoc, stamp } from './contract-fixtures';

function connectionDoc(uid: string | null): ConnectionDoc {
  const at = stamp();
  return { id: randomId(), settings: { name: 'c', baseUrl: 'https://api.example', uid }, createdAt: at, updatedAt: at };
}

function importDoc(connectionId: string | null): ImportDoc {
  const at = stamp();
  return { id: randomId(), settings: { name: 'i', connectionId, path: '/x' }, createdAt: at, updatedAt: at };
}

export function runConnectionContract(store: () => Store): void {
  describe('connections', () => {
    it('finds a connection by its uid, and null for an unknown uid', async () => {
      const a = connectionDoc(`acct-${randomId()}`);
      await store().connections.insert(a);
      await store().connections.insert(connectionDoc(null));
      assert.deepEqual(await store().connections.byUid(a.settings.uid!), a);
      assert.equal(await store().connections.byUid('nobody'), null);
    });

    it('refuses a second connection with the same uid, on insert and on replace, and allows many without one', async () => {
      const uid = `acct-${randomId()}`;
      await store().connections.insert(connectionDoc(uid));
      await assert.rejects(store().connections.insert(connectionDoc(uid)), DuplicateKeyError);
      const other = connectionDoc(null);
      await store().connections.insert(other);
      await store().connections.insert(connectionDoc(null));
      await assert.rejects(store().connections.replace({ ...other, settings: { ...other.settings, uid } }), DuplicateKeyError);
      assert.equal((await store().connections.get(other.id))?.settings.uid, null);
    });

    it('hands out rate-limit slots spaced by the interval, from now when the connection has been idle', async () => {
      const doc = connectionDoc(null);
      await store().connections.insert(doc);
      const t = Date.UTC(2026, 3, 1);
      assert.equal(await store().connections.reserveSlot(doc.id, t, 250), t);
      assert.equal(await store().connections.reserveSlot(doc.id, t, 250), t + 250);
      assert.equal(await store().connections.reserveSlot(doc.id, t + 100, 250), t + 500);
      assert.equal(await store().connections.reserveSlot(doc.id, t + 10_000, 250), t + 10_000, 'idle: the next slot is now');
      assert.equal(await store().connections.reserveSlot(randomId(), t, 250), null);
    });

    it('follows a uid that changes', async () => {
      const doc = connectionDoc(`old-${randomId()}`);
      await store().connections.insert(doc);
      const renamed = { ...doc, settings: { ...doc.settings, uid: `new-${randomId()}` } };
      await store().connections.replace(renamed);
      assert.equal(await store().connections.byUid(doc.settings.uid!), null);
      assert.equal((await store().connections.byUid(renamed.settings.uid!))?.id, doc.id);
    });

    it('keeps an attached webhook’s state on its listener, through other changes to it', async () => {
      const doc = listenerDoc();
      await store().listeners.insert(doc);
      const attachment = { status: 'attached', externalId: '4001', at: stamp(), error: null };
      assert.equal(await store().listeners.setAttachment(doc.id, attachment), true);
      await store().listeners.setDebugUntil(doc.id, stamp());
      assert.deepEqual((await store().listeners.get(doc.id))?.attachment, attachment);
      assert.equal(await store().listeners.setAttachment(randomId(), attachment), false);
    });

    it('lists the imports that use a connection, following changes and deletes', async () => {
      const connection = connectionDoc(null);
      await store().connections.insert(connection);
      const first = importDoc(connection.id);
      const second = importDoc(connection.id);
      await store().imports.insert(first);
      await store().imports.insert(second);
      await store().imports.insert(importDoc(null));
      assert.deepEqual((await store().imports.byConnection(connection.id)).map((doc) => doc.id), [first.id, second.id]);
      await store().imports.replace({ ...first, settings: { ...first.settings, connectionId: null } });
      await store().imports.delete(second.id);
      assert.deepEqual(await store().imports.byConnection(connection.id), []);
    });
  });
}
