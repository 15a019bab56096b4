/**
 * Per-listener traffic for the status endpoint (SPEC §14): when the last
 * request came, and how many requests ended in each status during the last
 * hour, in one-minute buckets of a ring that reuses its slots as the clock
 * moves. In memory, per instance; time is the request's injected-clock arrival.
 *
 * The observer runs for every webhook, so counting allocates nothing once a
 * listener has seen a status: each status owns a fixed array of 60 counters.
 */
import type { Exchange, IngestObserver } from '../ingest/exchange';

const MINUTES = 60;
const MINUTE_MS = 60_000;
/** Status key for a request the client aborted before any response. */
const ABORTED = 0;

class ListenerTraffic {
  lastAt = 0;
  /** The minute (ms / 60000) each slot currently counts; -1 when unused. */
  readonly minuteOf = new Float64Array(MINUTES).fill(-1);
  readonly byStatus = new Map<number, Int32Array>();
  /** Requests with outcome `unrouted` (shared listeners), per slot. */
  readonly unrouted = new Int32Array(MINUTES);
}

export interface HourCounts {
  total: number;
  /** Status code (or `aborted`) → requests in the last 60 minutes, this one included. */
  byStatus: Record<string, number>;
  /** Of those, requests to a shared listener whose uid matched no connection. */
  unrouted: number;
}

export class TrafficTracker implements IngestObserver {
  private readonly byListener = new Map<string, ListenerTraffic>();

  observe(exchange: Exchange): void {
    const listener = exchange.listener;
    if (listener === undefined) return;
    let traffic = this.byListener.get(listener.id);
    if (traffic === undefined) {
      traffic = new ListenerTraffic();
      this.byListener.set(listener.id, traffic);
    }
    const at = exchange.receivedAt;
    if (at > traffic.lastAt) traffic.lastAt = at;
    const minute = Math.floor(at / MINUTE_MS);
    const slot = minute % MINUTES;
    if (traffic.minuteOf[slot] !== minute) {
      // The slot last counted an older minute (or, after a clock step back, a newer one): start it afresh.
      traffic.minuteOf[slot] = minute;
      for (const counts of traffic.byStatus.values()) counts[slot] = 0;
      traffic.unrouted[slot] = 0;
    }
    const status = exchange.outcome === 'aborted' ? ABORTED : exchange.response.status;
    let counts = traffic.byStatus.get(status);
    if (counts === undefined) {
      counts = new Int32Array(MINUTES);
      traffic.byStatus.set(status, counts);
    }
    counts[slot]++;
    if (exchange.outcome === 'unrouted') traffic.unrouted[slot]++;
  }

  /** Clock time (ms) of the last request this instance saw, or undefined. */
  lastRequestAt(listenerId: string): number | undefined {
    const at = this.byListener.get(listenerId)?.lastAt;
    return at ? at : undefined;
  }

  /** Requests per status in the 60 minutes up to `now` (the current minute included). */
  lastHour(listenerId: string, now: number): HourCounts {
    const result: HourCounts = { total: 0, byStatus: {}, unrouted: 0 };
    const traffic = this.byListener.get(listenerId);
    if (!traffic) return result;
    const currentMinute = Math.floor(now / MINUTE_MS);
    for (const [status, counts] of [...traffic.byStatus.entries()].sort(([a], [b]) => a - b)) {
      let sum = 0;
      for (let slot = 0; slot < MINUTES; slot++) {
        const age = currentMinute - traffic.minuteOf[slot]!;
        if (traffic.minuteOf[slot]! >= 0 && age >= 0 && age < MINUTES) sum += counts[slot]!;
      }
      if (sum > 0) {
        result.byStatus[status === ABORTED ? 'aborted' : String(status)] = sum;
        result.total += sum;
      }
    }
    for (let slot = 0; slot < MINUTES; slot++) {
      const age = currentMinute - traffic.minuteOf[slot]!;
      if (traffic.minuteOf[slot]! >= 0 && age >= 0 && age < MINUTES) result.unrouted += traffic.unrouted[slot]!;
    }
    return result;
  }
}
