/**
 * Observability wired together: debug sessions and their logs, listener
 * status, Prometheus metrics and structure inference (samples). lib/services.ts
 * calls `createObservability` once and plugs the result into its observers and
 * background tasks; lib/admin mounts the routes of each.
 */
import type { Clock } from './clock';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Store } from './store/store';
import type { IngestObserver } from './ingest/exchange';
import type { BucketMap } from './ingest/leaky-bucket';
import type { ListenerRegistry } from './ingest/listener-registry';
import type { ListenerService } from './listeners/listener-service';
import { DebugCapture } from './debug/debug-capture';
import { DebugPurge } from './debug/debug-purge';
import { DebugService } from './debug/debug-service';
import { DebugSessions } from './debug/debug-sessions';
import { Metrics } from './metrics/metrics';
import { StatusService } from './status/status-service';
import { TrafficTracker } from './status/traffic';
import { StructureService } from './structure/structure-service';

export interface ObservabilityDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  store: Store;
  listeners: ListenerService;
  registry: ListenerRegistry;
  buckets: BucketMap;
}

export interface Observability {
  debug: DebugService;
  capture: DebugCapture;
  purge: DebugPurge;
  status: StatusService;
  metrics: Metrics;
  structure: StructureService;
  /** Ingest observers, cheapest first (the debug capture costs one comparison when nobody debugs). */
  observers: IngestObserver[];
  /** Starts the debug log purge. */
  start(): void;
  /** Stops the purge and writes queued debug entries; call before the store closes. */
  stop(): Promise<void>;
}

/** Call after the listener registry is warm: running debug sessions are picked up from it. */
export async function createObservability(deps: ObservabilityDeps): Promise<Observability> {
  const { config, clock, logger, store, listeners, registry, buckets } = deps;
  const sessions = new DebugSessions();
  listeners.subscribe(sessions);
  await sessions.warm(registry.liveStates(), store);
  const capture = new DebugCapture(sessions, store, logger, { maxEntries: config.debug.maxEntries, retentionHours: config.debug.retentionHours });
  const purge = new DebugPurge(store, clock, logger);
  const debug = new DebugService(listeners, sessions, capture, store, clock, config.debug.maxEntries);
  const traffic = new TrafficTracker();
  const status = new StatusService(listeners, traffic, buckets, store, debug, clock);
  const metrics = new Metrics(store, clock);
  const structure = new StructureService(listeners, registry, store, clock);

  return {
    debug, capture, purge, status, metrics, structure,
    observers: [capture, traffic, metrics],
    start() {
      purge.start();
    },
    async stop() {
      await purge.stop();
      await capture.close();
    },
  };
}
