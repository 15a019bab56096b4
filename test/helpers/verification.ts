/**
 * Assertions shared by the end-to-end verification, handshake and dedup tests:
 * what "accepted" and "refused" mean over HTTP, and an observer that keeps the
 * exchanges the ingest path hands to observers (where the refusal reason goes).
 */
import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import type { Exchange } from '../../lib/ingest/exchange';
import { createHarness, hookPath, type Harness } from './harness';

export async function jobCount(h: Harness, listenerId: string): Promise<number> {
  return (await h.services.store.readJobs(listenerId, 0, 1000)).length;
}

/**
 * Sends with `send` and asserts a fresh accept: 2xx, not a replayed duplicate,
 * and exactly one more job stored.
 */
export async function expectAccepted(h: Harness, listenerId: string, send: () => PromiseLike<Response>, status = 204): Promise<Response> {
  const before = await jobCount(h, listenerId);
  const response = await send();
  assert.equal(response.status, status, `expected ${status}, got ${response.status} ${response.text}`);
  assert.equal(response.headers['hookport-duplicate'], undefined, 'answered as a duplicate');
  assert.equal(await jobCount(h, listenerId), before + 1, 'no job was stored');
  return response;
}

/**
 * Sends with `send` and asserts the bare refusal SPEC §3 gives the sender: 401
 * problem+json `Unauthorized` with nothing that says why, and nothing stored.
 */
export async function expectUnauthorized(h: Harness, listenerId: string, send: () => PromiseLike<Response>): Promise<Response> {
  const before = await jobCount(h, listenerId);
  const response = await send();
  assert.equal(response.status, 401, `expected 401, got ${response.status} ${response.text}`);
  assert.match(response.headers['content-type'] ?? '', /^application\/problem\+json/);
  assert.deepEqual(Object.keys(response.body).sort(), ['code', 'detail', 'requestId', 'status', 'title', 'type']);
  assert.equal(response.body.title, 'Unauthorized');
  assert.equal(response.body.detail, 'Unauthorized');
  assert.equal(await jobCount(h, listenerId), before, 'a refused request was stored');
  return response;
}

export interface ExchangeRecorder {
  /** The exchange of the request whose response carried `X-Request-Id: requestId`. */
  of(response: Response): Exchange;
  stop(): void;
}

/** Adds an observer to the harness's ingest path; `stop()` removes it. */
export function recordExchanges(h: Harness): ExchangeRecorder {
  const seen = new Map<string, Exchange>();
  const observer = { observe: (exchange: Exchange) => void seen.set(exchange.requestId, exchange) };
  h.services.observers.push(observer);
  return {
    of(response) {
      const exchange = seen.get(response.headers['x-request-id'] ?? '');
      assert.ok(exchange, 'the observer saw no exchange for this response');
      return exchange;
    },
    stop() {
      const index = h.services.observers.indexOf(observer);
      if (index !== -1) h.services.observers.splice(index, 1);
    },
  };
}

/** The instant the HTTP verification tests set their clock to before each test. */
export const EVENT_EPOCH = Date.UTC(2026, 10, 1, 12, 0, 0);

/** A fresh JSON event number `n`: unique ids, and `"amount":100` for a test to tamper with. */
export const eventJson = (n: number) => JSON.stringify({ id: `evt_${n}`, event_id: `Ev${n}`, type: 'order.created', amount: 100 });

/** What a partner sends: headers, body, and anything it adds to the listener URL. */
export interface Delivery {
  contentType: string;
  headers: Record<string, string>;
  body: string;
  pathSuffix?: string;
}

/** Posts `delivery` to the listener's URL, as its partner would (for expectAccepted / expectUnauthorized). */
export function sendDelivery(h: Harness, listener: { id: string }, delivery: Delivery) {
  return () => h.request().post(hookPath(listener) + (delivery.pathSuffix ?? '')).set({ 'Content-Type': delivery.contentType, ...delivery.headers }).send(delivery.body);
}

/**
 * The set-up the HTTP verification suites share, for the enclosing `describe`: a
 * harness (`harness()`, once `before` ran), its clock set to EVENT_EPOCH before
 * each test, the clock in Unix seconds, and a sender of partner deliveries.
 */
export function verificationSuite() {
  let harness: Harness | undefined;
  before(async () => {
    harness = await createHarness();
  });
  after(() => harness?.close());
  beforeEach(() => harness!.clock.set(EVENT_EPOCH));
  return {
    harness: () => harness!,
    seconds: () => Math.floor(harness!.clock.now() / 1000),
    send: (listener: { id: string }, delivery: Delivery) => sendDelivery(harness!, listener, delivery),
  };
}
