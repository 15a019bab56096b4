/**
 * Prometheus metrics (SPEC §16) on a Registry of this app instance's own, not
 * prom-client's global one, so several apps in one process (the tests) never
 * share or collide on series.
 *
 * Series (labels in braces):
 *   hookport_requests_total{listener,status}           webhook requests by outcome status
 *   hookport_request_duration_seconds{listener}        time from arrival to response written
 *   hookport_rate_limited_total{listener,scope}        429s, scope = listener | instance
 *   hookport_queue_depth{flow}                         jobs waiting per flow, read from the store on scrape
 *   hookport_deliveries_total{import,flow,result}      page deliveries per import (recordDelivery)
 *
 * `listener` is the listener id, or `unknown` for a URL that names no listener:
 * ids from the URL are never used as labels unless they exist, so random URLs
 * cannot grow the series without bound.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Exchange, IngestObserver } from '../ingest/exchange';
import type { Store } from '../store/store';

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
  private readonly deliveries: Counter<'import' | 'flow' | 'result'>;
  /** Label children per listener, so counting a request does no label hashing. */
  private readonly series = new Map<string, ListenerSeries>();

  constructor(store: Store) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'hookport_requests_total', help: 'Webhook requests by listener and response status (aborted: the client went away)',
      labelNames: ['listener', 'status'], registers,
    });
    this.duration = new Histogram({
      name: 'hookport_request_duration_seconds', help: 'Webhook request duration from arrival to response written',
      labelNames: ['listener'], buckets: DURATION_BUCKETS, registers,
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
        for (const [flowId, depth] of await depths(store)) this.set({ flow: flowId }, depth);
      },
    });
    this.deliveries = new Counter({
      name: 'hookport_deliveries_total', help: 'Page deliveries to imports by import, flow and result (success, retry, failure)',
      labelNames: ['import', 'flow', 'result'], registers,
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

  /** The exposition text and its content type, for GET /metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Which bucket refused, as the limiter stage recorded it. */
function rateLimitScope(exchange: Exchange): 'instance' | 'listener' {
  return exchange.rateLimitedBy ?? 'listener';
}

async function depths(store: Store): Promise<Array<[string, number]>> {
  const result: Array<[string, number]> = [];
  let after: string | undefined;
  do {
    const page = await store.flows.list({ limit: 500, after });
    for (const flow of page.items) result.push([flow.id, await store.queueDepth(flow.id)]);
    after = page.nextCursor ?? undefined;
  } while (after !== undefined);
  return result;
}
