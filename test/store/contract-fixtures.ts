/**
 * What every part of the store contract builds its data with: documents, jobs,
 * a listener with a flow, a held lease, and the factory an adapter's test gives.
 */
import assert from 'node:assert/strict';
import type { FlowDoc, ListenerDoc, NewJob, Store } from '../../lib/store/store';
import { randomId } from '../../lib/ids';

export interface StoreFactory {
  /** A fresh, empty store. */
  create(): Promise<Store>;
  /** The same data, reopened (as after a restart). Undefined when the adapter cannot. */
  reopen?(store: Store): Promise<Store>;
}

let clockTick = Date.UTC(2026, 0, 1);

export function stamp(): string {
  clockTick += 1000;
  return new Date(clockTick).toISOString();
}

export function listenerDoc(overrides: Partial<ListenerDoc> = {}): ListenerDoc {
  const at = stamp();
  return { id: randomId(), settings: { name: 'l' }, createdAt: at, updatedAt: at, deletedAt: null, debugUntil: null, ...overrides };
}

export function flowDoc(listenerId: string, overrides: Partial<FlowDoc> = {}): FlowDoc {
  const at = stamp();
  return { id: randomId(), name: 'f', listenerId, imports: [], enabled: true, maxQueuedJobs: 10_000, createdAt: at, updatedAt: at, ...overrides };
}

/** A listener with one flow, stored. */
export async function listenerWithFlow(store: Store): Promise<{ listenerId: string; flowId: string }> {
  const listener = listenerDoc();
  await store.listeners.insert(listener);
  const flow = flowDoc(listener.id);
  await store.flows.insert(flow);
  return { listenerId: listener.id, flowId: flow.id };
}

export function jobFor(listenerId: string, records: unknown[] = [{ id: 1 }]): NewJob {
  return {
    id: randomId(),
    listenerId,
    requestId: randomId(),
    receivedAt: stamp(),
    recordCount: records.length,
    pages: [{ recordsJson: JSON.stringify(records), count: records.length, traceKeys: records.map((_, i) => String(i)) }],
    meta: { method: 'POST' },
  };
}

/** Takes a flow's lease for a test (long enough for any test), resolving with the term. */
export async function takeLease(store: Store, flowId: string, owner = 'test'): Promise<number> {
  const term = await store.delivery.acquireFlowLease(flowId, owner, '2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z');
  assert.ok(term !== null, `the lease of flow ${flowId} was free`);
  return term;
}
