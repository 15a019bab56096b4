/**
 * Prometheus metrics (SPEC §16) on a Registry of this app instance's own, not
 * prom-client's global one, so several apps in one process (the tests) never
 * share or collide on series.
 *
 * Series (labels in braces):
 *   hookport_requests_total{listener,status}           webhook requests by outcome status
 *   hookport_request_duration_seconds{listener}        time from arrival to response written
 *   hookport_rate_limited_total{listener,scope}        429s, scope = listener | instance
 *   hookport_unrouted_requests_total{listener}         shared-listener requests whose uid matched no connection
 *   hookport_queue_depth{flow}                         jobs waiting per flow, read from the store on scrape
 *   hookport_deliveries_total{import,flow,result}      page deliveries per import (recordDelivery)
 *   hookport_delivery_attempt_failures_total{flow,import,reason}
 *                                                      failed requests; reason = the HTTP status, or network / timeout
 *   hookport_delivery_errors_opened_total{flow,import,kind}
 *                                                      pages (or records) that became open errors
 *   hookport_oldest_waiting_seconds{flow}              age of the oldest job a flow has not passed, read on scrape
 *   hookport_alerts_total{flow,result}                 error alerts: sent, failed, or suppressed by the rate limit
 *
 * `listener` is the listener id, or `unknown` for a URL that names no listener:
 * ids from the URL are never used as labels unless they exist, so random URLs
 * cannot grow the series without bound.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { systemClock, type Clock } from '../clock';
import type { Exchange, IngestObserver } from '../ingest/exchange';
import type { Store } from '../store/store';
import type { FailedAttempt, OpenedError } from '../flows/delivery-events';

export const UNKNOWN_LISTENER = 'unknown';

/** Seconds; webhooks are answered in milliseconds, afterFlow responses may take up to their timeout (40 s by default). */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Suggested `result` values for deliveries; any short word is accepted. */
export type DeliveryResult = 'success' | 'retry' | 'failure' | (string & {});

interface ListenerSeries {
  byStatus: Map<number, Counter.Internal>;
  duration: Histogram.Internal<'listener'>;
}

export class Metrics implements IngestObserver {
  readonly registry = new Registry();
  private readonly requests: Counter<'listener' | 'status'>;
  private readonly duration: Histogram<'listener'>;
  private readonly rateLimited: Counter<'listener' | 'scope'>;
  private readonly unrouted: Counter<'listener'>;
  private readonly deliveries: Counter<'import' | 'flow' | 'result'>;
  private readonly attemptFailures: Counter<'flow' | 'import' | 'reason'>;
  private readonly errorsOpened: Counter<'flow' | 'import' | 'kind'>;
  private readonly alerts: Counter<'flow' | 'result'>;
  /** Label children per listener, so counting a request does no label hashing. */
  private readonly series = new Map<string, ListenerSeries>();

  constructor(store: Store, clock: Clock = systemClock) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'hookport_requests_total', help: 'Webhook requests by listener and response status (aborted: the client went away)',
      labelNames: ['listener', 'status'], registers,
    });
    this.duration = new Histogram({
      name: 'hookport_request_duration_seconds', help: 'Webhook request duration from arrival to response written',
      labelNames: ['listener'], buckets: DURATION_BUCKETS, registers,
    });
    this.unrouted = new Counter({
      name: 'hookport_unrouted_requests_total', help: 'Requests to a shared listener whose uid matched no connection (answered as a success, queued nowhere)',
      labelNames: ['listener'], registers,
    });
    this.rateLimited = new Counter({
      name: 'hookport_rate_limited_total', help: 'Webhook requests refused with 429, by listener and by which bucket was full',
      labelNames: ['listener', 'scope'], registers,
    });
    new Gauge({
      name: 'hookport_queue_depth', help: 'Jobs waiting for each flow (read from the store on every scrape)',
      labelNames: ['flow'], registers,
      async collect() {
        // Reset first: a deleted flow's series disappears instead of freezing at its last value.
        this.reset();
        for (const [flowId, depth] of await perFlow(store, (id) => store.queueDepth(id))) this.set({ flow: flowId }, depth);
      },
    });
    this.deliveries = new Counter({
      name: 'hookport_deliveries_total', help: 'Page deliveries to imports by import, flow and result (success, retry, failure)',
      labelNames: ['import', 'flow', 'result'], registers,
    });
    this.attemptFailures = new Counter({
      name: 'hookport_delivery_attempt_failures_total', help: 'Failed delivery requests by flow, import and reason (the HTTP status, or network / timeout)',
      labelNames: ['flow', 'import', 'reason'], registers,
    });
    this.errorsOpened = new Counter({
      name: 'hookport_delivery_errors_opened_total', help: 'Pages (or records) that became open delivery errors, by flow, import and kind',
      labelNames: ['flow', 'import', 'kind'], registers,
    });
    new Gauge({
      name: 'hookport_oldest_waiting_seconds', help: 'Age of the oldest job each flow has not passed yet (0 when none waits), read from the store on every scrape',
      labelNames: ['flow'], registers,
      async collect() {
        this.reset();
        for (const [flowId, receivedAt] of await perFlow(store, (id) => store.schedule.oldestWaiting(id))) this.set({ flow: flowId }, receivedAt ? Math.max(0, (clock.now() - Date.parse(receivedAt)) / 1000) : 0);
      },
    });
    this.alerts = new Counter({
      name: 'hookport_alerts_total', help: 'Error alerts by flow and result: sent, failed, or suppressed by the rate limit',
      labelNames: ['flow', 'result'], registers,
    });
  }

  observe(exchange: Exchange): void {
    const listenerId = exchange.listener?.id ?? UNKNOWN_LISTENER;
    let series = this.series.get(listenerId);
    if (series === undefined) {
      series = { byStatus: new Map(), duration: this.duration.labels(listenerId) };
      this.series.set(listenerId, series);
    }
    const status = exchange.outcome === 'aborted' ? 0 : exchange.response.status;
    let counter = series.byStatus.get(status);
    if (counter === undefined) {
      counter = this.requests.labels(listenerId, status === 0 ? 'aborted' : String(status));
      series.byStatus.set(status, counter);
    }
    counter.inc();
    series.duration.observe(exchange.durationMs / 1000);
    if (exchange.outcome === 'unrouted') this.unrouted.labels(listenerId).inc();
    if (exchange.outcome === 'ERR_RATE_LIMITED') this.rateLimited.labels(listenerId, rateLimitScope(exchange)).inc();
  }

  /** For the delivery engine: one call per page sent to an import (SPEC §11). */
  recordDelivery(importId: string, flowId: string, result: DeliveryResult): void {
    this.deliveries.labels(importId, flowId, result).inc();
  }

  /*
   * The delivery engine's observer hooks (lib/flows/delivery-events.ts
   * DeliveryObserver), matched by shape: subscribe this object to its events.
   */
  delivered(importId: string, flowId: string): void {
    this.recordDelivery(importId, flowId, 'success');
  }

  retrying(importId: string, flowId: string): void {
    this.recordDelivery(importId, flowId, 'retry');
  }

  /** A record too large for any page fails before reaching an import: it counts under import `none`. */
  failed(importId: string | null, flowId: string): void {
    this.recordDelivery(importId ?? 'none', flowId, 'failure');
  }

  attemptFailed(attempt: FailedAttempt): void {
    this.attemptFailures.labels(attempt.flowId, attempt.importId, attempt.status === null ? attempt.kind : String(attempt.status)).inc();
  }

  errorOpened(error: OpenedError): void {
    this.errorsOpened.labels(error.flowId, error.importId ?? 'none', error.kind).inc();
  }

  /** For the alert sender (lib/flows/alerts.ts). */
  alerted(flowId: string, result: 'sent' | 'failed' | 'suppressed'): void {
    this.alerts.labels(flowId, result).inc();
  }

  /** The exposition text and its content type, for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Which bucket refused, as the limiter stage recorded it. */
function rateLimitScope(exchange: Exchange): 'instance' | 'listener' {
  return exchange.rateLimitedBy ?? 'listener';
}

/** `read` for every flow, in creation order. */
async function perFlow<T>(store: Store, read: (flowId: string) => Promise<T>): Promise<Array<[string, T]>> {
  const result: Array<[string, T]> = [];
  let after: string | undefined;
  do {
    const listPage = await store.flows.list({ limit: 500, after });
    for (const flow of listPage.items) result.push([flow.id, await read(flow.id)]);
    after = listPage.nextCursor ?? undefined;
  } while (after !== undefined);
  return result;
}
