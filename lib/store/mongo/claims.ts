/**
 * Version claims: how one of several writers wins the change of a document
 * without a compare-and-set. Before replacing version V of a document, a writer
 * inserts `<what>:<id>:<V>` into `write_claims`; the unique `_id` lets exactly one
 * writer in, the others are told they lost. The winner then writes the document.
 *
 * Not covered: a writer that dies between its claim and its write leaves that
 * version claimed; the next change of the same version is refused until the
 * sweeper removes claims older than CLAIM_TTL_MS.
 */
import type { Models } from './models';
import { insertUnlessTaken } from './errors';

export const CLAIM_TTL_MS = 60_000;

export function claimVersion(models: Models, what: string, id: string, version: string | number): Promise<boolean> {
  return insertUnlessTaken(() => models.claims.collection.insertOne({ _id: `${what}:${id}:${version}`, at: Date.now() } as any));
}

/** Sweeper: claims older than CLAIM_TTL_MS decided their race long ago. */
export async function sweepClaims(models: Models, nowMs: number): Promise<number> {
  const result = await models.claims.deleteMany({ at: { $lt: nowMs - CLAIM_TTL_MS } });
  return result.deletedCount ?? 0;
}
