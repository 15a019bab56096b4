/**
 * Finds one secret the store already holds sealed (a listener's or an import's),
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
  let after: string | undefined;
  do {
    const page = await store.imports.list({ limit: 100, after });
    for (const doc of page.items) {
      const value = findSealed(doc.settings);
      if (value) return { value, where: `import ${doc.id}` };
    }
    after = page.nextCursor ?? undefined;
  } while (after);
  return null;
}
