/**
 * The delivery side of shared listeners (lib/ingest/route-stage.ts): a flow
 * serves the tenants whose connections its imports use. A job routed to a uid
 * goes to the flows serving that uid and to flows serving no tenant (imports
 * without a connection, or on connections without a uid), which receive
 * everything. Decided from the imports as they are now, when the job reaches
 * the flow.
 */
import type { ImportRuntimes } from '../imports/import-runtime';

export async function routedElsewhere(imports: readonly string[], meta: Record<string, unknown>, runtimes: ImportRuntimes): Promise<boolean> {
  const route = meta.route as { uid?: string } | undefined;
  if (!route?.uid) return false;
  const served = new Set<string>();
  for (const id of imports) {
    const uid = (await runtimes.get(id))?.connection?.uid;
    if (uid) served.add(uid);
  }
  return served.size > 0 && !served.has(route.uid);
}
