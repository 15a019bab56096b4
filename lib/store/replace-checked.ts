/**
 * The update step every resource service shares: replace the document only if
 * it is unchanged since it was read, turning the store's answers into the API's
 * (409 when it changed meanwhile, 404 when it is gone).
 */
import { AppError } from '../errors';
import type { Collection, ResourceDoc } from './store';
import { StaleWriteError } from './store';

export async function replaceChecked<T extends ResourceDoc>(collection: Collection<T>, doc: T, readAt: string, noun: string): Promise<void> {
  let saved: T | null;
  try {
    saved = await collection.replace(doc, readAt);
  } catch (error) {
    if (error instanceof StaleWriteError) throw new AppError('ERR_CONFLICT', `the ${noun} changed while this update was made; try again`);
    throw error;
  }
  if (!saved) throw new AppError('ERR_NOT_FOUND', `no ${noun} ${doc.id}`);
}
