/**
 * Finds one secret the store already holds sealed (a listener's, an import's or a connection's),
 * so that start-up can check the secret key against it before serving, instead
 * of failing on the first request that needs the secret — or, worse, generating
 * a new key that opens nothing (see loadSecretKey).
 */
import type { Store } from '../store/store';
import { findSealed, type SealedSample } from './secret-box';

export async function sealedSampleIn(store: Store): Promise<SealedSample | null> {
  for (const listener of await store.listeners.all()) {
    const value = findSealed(listener.settings);
    if (value) return { value, where: `listener ${listener.id}` };
  }
  return (await firstSealed(store.imports, 'import')) ?? firstSealed(store.connections, 'connection');
}

async function firstSealed(
  collection: Store['imports'] | Store['connections'],
  noun: string,
): Promise<SealedSample | null> {
  let after: string | undefined;
  do {
    const listPage = await collection.list({ limit: 100, after });
    for (const doc of listPage.items) {
      const value = findSealed(doc.settings);
      if (value) return { value, where: `${noun} ${doc.id}` };
    }
    after = listPage.nextCursor ?? undefined;
  } while (after);
  return null;
}
