/**
 * Shared steps of the delivery tests: a harness whose scheduler the test moves,
 * listeners, imports and flows made through the admin API, webhooks sent
 * through the real ingest path, and waits that re-check on delivery events
 * instead of sleeping.
 */
import type supertest from 'supertest';
import { createHarness, createListener, hookPath, type Harness, type HarnessOptions } from '../helpers/harness';
import { ManualScheduler } from '../../lib/scheduler';

export interface DeliveryHarness extends Harness {
  scheduler: ManualScheduler;
}

export async function deliveryHarness(options: HarnessOptions = {}): Promise<DeliveryHarness> {
  const h = await createHarness(options);
  const scheduler = h.services.scheduler;
  if (!(scheduler instanceof ManualScheduler)) throw new Error('the harness should pair its ManualClock with a ManualScheduler');
  return Object.assign(h, { scheduler });
}

export async function noneListener(h: Harness, settings: Record<string, unknown> = {}): Promise<{ id: string }> {
  return createListener(h, { verification: { type: 'none' }, ...settings });
}

export async function createImport(h: Harness, settings: Record<string, unknown>): Promise<{ id: string; [k: string]: any }> {
  const response = await h.api().post('/imports', { name: 'destination', ...settings });
  if (response.status !== 201) throw new Error(`import not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createFlow(h: Harness, listenerId: string, imports: string[], settings: Record<string, unknown> = {}): Promise<{ id: string; [k: string]: any }> {
  const response = await h.api().post('/flows', { name: 'flow', listenerId, imports, ...settings });
  if (response.status !== 201) throw new Error(`flow not created: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** POSTs a JSON webhook through the ingest path. */
export function sendHook(h: Harness, listener: { id: string }, body: unknown): supertest.Test {
  return h.request().post(hookPath(listener)).set('Content-Type', 'application/json').send(JSON.stringify(body));
}

const checkers = new WeakMap<Harness, Set<() => void>>();

/**
 * Resolves once `predicate` holds. It is checked now and again after every
 * delivery event (a page settled, a queue depth changed), never on a timer.
 */
export function until(h: Harness, predicate: () => Promise<boolean> | boolean): Promise<void> {
  let set = checkers.get(h);
  if (!set) {
    const created = new Set<() => void>();
    set = created;
    checkers.set(h, created);
    const all = () => created.forEach((check) => check());
    h.services.delivery.events.subscribe({ settled: all, queueDepth: all });
  }
  const registered = set;
  return new Promise<void>((resolve, reject) => {
    let running = false;
    let again = false;
    const check = () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      Promise.resolve(predicate()).then(
        (done) => {
          running = false;
          if (done) {
            registered.delete(check);
            resolve();
          } else if (again) {
            again = false;
            check();
          }
        },
        (error) => {
          registered.delete(check);
          reject(error);
        },
      );
    };
    registered.add(check);
    check();
  });
}

/** Resolves when the flow's cursor has passed every job of its listener. */
export function drained(h: Harness, flowId: string): Promise<void> {
  return until(h, async () => (await h.services.store.queueDepth(flowId)) === 0);
}
