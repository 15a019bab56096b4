/**
 * Delivery, assembled: the engine, the afterFlow waiter and the errors service,
 * wired to the services that feed them (their admin routes are in
 * lib/admin/resources/delivery.ts). lib/services.ts
 * creates one of these and starts and stops it with the server.
 */
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Scheduler } from '../scheduler';
import type { Store } from '../store/store';
import type { ListenerRegistry } from '../ingest/listener-registry';
import type { ImportService } from '../imports/import-service';
import type { ConnectionService } from '../connections/connection-service';
import { ImportRuntimes } from '../imports/import-runtime';
import type { FlowService } from './flow-service';
import { AfterFlowTracker } from './after-flow';
import { DeliveryEngine, type EngineOptions } from './delivery-engine';
import { DeliveryEvents } from './delivery-events';
import { DeliveryLog } from './delivery-log';
import { AlertSender } from './alerts';
import { DeliveryErrorService } from './delivery-error-service';
import { FlowReplays } from './replay';

export interface DeliveryDeps {
  store: Store;
  clock: Clock;
  scheduler: Scheduler;
  logger: Logger;
  flows: FlowService;
  imports: ImportService;
  connections: ConnectionService;
  registry: ListenerRegistry;
  /** Config `jobs.retainCompletedHours`. */
  retainCompletedHours: number;
  /** Leases are taken in this name; see `leaseOwner`. */
  owner: string;
  /** Engine tuning (tests: a fixed `random`; servers: the shutdown grace). */
  engine?: Partial<Pick<EngineOptions, 'leaseMs' | 'pollMs' | 'purgeEveryMs' | 'shutdownGraceMs' | 'random'>>;
}

export interface Delivery {
  engine: DeliveryEngine;
  afterFlow: AfterFlowTracker;
  errors: DeliveryErrorService;
  /** Replays of kept jobs (POST /flows/{id}/replay). */
  replays: FlowReplays;
  /** Error alerts of flows with `alert` set. */
  alerts: AlertSender;
  /** Counters for metrics and status: subscribe a DeliveryObserver. */
  events: DeliveryEvents;
}

/**
 * The embedded store serves one process, so its leases are owned by the data
 * directory, not the process: after a crash the restarted server takes its
 * flows back at once instead of waiting for the old lease to run out. With a
 * shared store each process is its own owner.
 */
export function leaseOwner(sharedByInstances: boolean, instanceId: string): string {
  return sharedByInstances ? instanceId : 'embedded';
}

export function createDelivery(deps: DeliveryDeps): Delivery {
  const { store, clock, scheduler, logger, flows, imports, registry } = deps;
  const events = new DeliveryEvents(logger);
  events.subscribe(new DeliveryLog(logger));
  const runtimes = new ImportRuntimes(imports, clock, scheduler, store.connections);
  imports.subscribe(runtimes);
  deps.connections.subscribe(runtimes);
  const alerts = new AlertSender({ store, runtimes, clock, scheduler, logger, events });
  events.subscribe(alerts);
  const afterFlow = new AfterFlowTracker({ store, scheduler, wake: (listenerId) => engine.jobAppended(listenerId) });
  const engine = new DeliveryEngine({
    store, clock, scheduler, logger, events, progress: afterFlow, runtimes, registry, owner: deps.owner,
    retainCompletedMs: deps.retainCompletedHours * 3_600_000, ...deps.engine,
  });
  flows.subscribe(engine);
  const errors = new DeliveryErrorService(store, flows, clock, (flowId) => engine.wakeFlow(flowId));
  const replays = new FlowReplays(store, flows, clock, (flowId) => engine.wakeFlow(flowId));
  return { engine, afterFlow, errors, replays, alerts, events };
}
