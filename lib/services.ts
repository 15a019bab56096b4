/**
 * Wires every service from configuration: the one place that knows what depends
 * on what. Tests pass their own clock (and may pass a store).
 */
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { loadSecretKey, SecretBox } from './secrets/secret-box';
import { sealedSampleIn } from './secrets/sealed-in-store';
import type { Store } from './store/store';
import { openStore } from './store';
import { ApiKeyService } from './admin/api-keys-service';
import { ListenerService } from './listeners/listener-service';
import { ImportService } from './imports/import-service';
import { ConnectionService } from './connections/connection-service';
import { AttachService } from './attach/attach-service';
import { FlowService } from './flows/flow-service';
import { createCallerBaseUrl } from './ingest/caller-url';
import { ListenerRegistry } from './ingest/listener-registry';
import { BucketMap, LeakyBucket } from './ingest/leaky-bucket';
import { createIngestHandler, type IngestHandler } from './ingest/ingest-handler';
import type { IngestObserver } from './ingest/exchange';
import { PeriodicTask } from './periodic-task';
import { SampleKeeper } from './ingest/sample-keeper';
import { createObservability, type Observability } from './observability';
import { schedulerFor, type Scheduler } from './scheduler';
import { createDelivery, leaseOwner, type Delivery } from './flows/delivery';
import { randomId } from './ids';
import { RequestHistory } from './history/request-history';

export interface Services {
  config: Config;
  clock: Clock;
  logger: Logger;
  store: Store;
  box: SecretBox;
  apiKeys: ApiKeyService;
  listeners: ListenerService;
  imports: ImportService;
  connections: ConnectionService;
  flows: FlowService;
  registry: ListenerRegistry;
  buckets: BucketMap;
  observers: IngestObserver[];
  /** Deletes expired dedup claims every minute. */
  dedupPurge: PeriodicTask;
  /** Debug sessions, listener status, metrics, samples and structure (issue 6). */
  observability: Observability;
  /** Timers of delivery (backoff, timeouts); a ManualScheduler when the clock is a ManualClock. */
  scheduler: Scheduler;
  /** The delivery engine, afterFlow waiter, flow errors and their observer hook. */
  delivery: Delivery;
  ingest: IngestHandler;
  /** Keeps each listener's last accepted request as its sample, after the answer. */
  samples: SampleKeeper;
  version: string;
  /** The always-on request history per listener (GET /listeners/{id}/requests). */
  requestHistory: RequestHistory;
  /** Background work (delivery, purges) started by the server, stopped by close(). */
  start(): Promise<void>;
  /** Stops background work, then closes the store. */
  close(): Promise<void>;
}

export interface ServiceOptions {
  clock?: Clock;
  store?: Store;
  logger?: Logger;
  scheduler?: Scheduler;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const version: string = require('../../package.json').version;

/** How soon a listener changed through another instance takes effect here. */
export const LISTENER_REFRESH_MS = 5_000;

export async function createServices(config: Config, options: ServiceOptions = {}): Promise<Services> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.log.level);
  const store = options.store ?? (await openStore(config));
  let box: SecretBox;
  try {
    box = new SecretBox(loadSecretKey(config.secretKey, config.dataDir, await sealedSampleIn(store)));
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
  const apiKeys = new ApiKeyService(store, clock);
  const connections = new ConnectionService(store, box, clock);
  const listeners = new ListenerService(store, box, clock, config.publicUrl, new AttachService(connections, clock));
  const imports = new ImportService(store, box, clock, connections);
  const flows = new FlowService(store, clock);
  const registry = new ListenerRegistry(store, listeners, clock, { trustedProxies: config.trustedProxies });
  listeners.subscribe(registry);
  await registry.warm();

  const buckets = new BucketMap(clock);
  const instanceBucket = new LeakyBucket(config.instanceLimits, clock);
  const observers: IngestObserver[] = [];
  const observability = await createObservability({ config, clock, logger, store, listeners, registry, buckets });
  observers.push(...observability.observers);
  const scheduler = options.scheduler ?? schedulerFor(clock);
  const delivery = createDelivery({
    store, clock, scheduler, logger, flows, imports, connections, registry, retainCompletedHours: config.jobs.retainCompletedHours,
    owner: leaseOwner(store.sharedByInstances, randomId()), engine: {
      shutdownGraceMs: Math.min(config.server.shutdownTimeoutMs, 10_000), leaseMs: config.store.leaseSeconds * 1000, pollMs: config.store.pollMs,
    },
  });
  observers.push(delivery.engine);
  const requestHistory = new RequestHistory(store, config.requestHistory.keepPerListener, logger);
  observers.push(requestHistory);
  listeners.subscribe(requestHistory);
  delivery.events.subscribe(observability.metrics);
  const samples = new SampleKeeper(store, logger);
  const ingest = createIngestHandler({
    registry, store, clock, publicUrl: config.publicUrl, callerBaseUrl: createCallerBaseUrl(config), instanceBucket,
    captureSecret: (listenerId, value) => listeners.captureSecret(listenerId, value), instanceCapacity: config.instanceLimits.capacity,
    buckets, observers, logger, afterFlow: delivery.afterFlow, samples, uids: connections,
  });

  // Dedup claims past their window answer nothing; this deletes them in chunks.
  const dedupPurge = new PeriodicTask(
    'dedup purge', () => store.purgeExpiredDedup(new Date(clock.now()).toISOString(), 10_000), logger, 60_000,
  );

  // Several instances on one store: listener changes made elsewhere arrive within this period
  // (flows and imports: the delivery engine's sync; see README "Scaling out").
  const listenerRefresh = new PeriodicTask('listener refresh', () => registry.refresh(), logger, LISTENER_REFRESH_MS);

  const stoppers: Array<() => Promise<void> | void> = [];
  return {
    config, clock, logger, store, box, apiKeys, listeners, imports, connections, flows, registry, buckets, observers, ingest, samples, version,
    observability, requestHistory,
    scheduler, delivery, dedupPurge,
    async start() {
      // Background tasks register here as features arrive (delivery engine, purges).
      observability.start();
      dedupPurge.start();
      stoppers.push(() => dedupPurge.stop());
      if (store.sharedByInstances) {
        listenerRefresh.start();
        stoppers.push(() => listenerRefresh.stop());
      }
      await delivery.engine.start();
      stoppers.push(() => delivery.engine.stop());
    },
    async close() {
      for (const stop of stoppers.reverse()) await stop();
      await observability.stop();
      await requestHistory.flush();
      await store.close();
    },
  };
}
