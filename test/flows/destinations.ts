/**
 * Real local HTTP destinations for delivery tests (node:http on 127.0.0.1, port
 * 0): each records what it receives and answers as its `reply` says: a status,
 * a failure N times then success, a 429 with Retry-After, a hang, a 400.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body parsed, when it is JSON. */
  json: unknown;
  /** Order of events at this destination (arrivals and answers share one counter): when it arrived, and when it was answered. */
  arrived: number;
  answered?: number;
}

/** `delayMs`: answer that much (wall) time later, as a slow destination does. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | 'hang';

/** Decides the answer to the n-th request (0-based). */
export type Replier = (request: Received, index: number) => Reply;

export interface Destination {
  url: string;
  received: Received[];
  /** Resolves once `count` requests have arrived (at once if they already have). */
  waitFor(count: number): Promise<Received[]>;
  /** Changes how later requests are answered. */
  setReply(reply: Replier): void;
  /** The most requests it held unanswered at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

export const ok: Replier = (request) => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ok: true, got: request.json }) });

/** 503 for the first `times` requests, then `then`. */
export function failTimes(times: number, then: Replier = ok, status = 503): Replier {
  return (request, index) => (index < times ? { status, body: 'try later' } : then(request, index));
}

/** 429 with `Retry-After: seconds` for the first `times` requests, then `then`. */
export function tooManyRequests(seconds: number, times = 1, then: Replier = ok): Replier {
  return (request, index) => (index < times ? { status: 429, headers: { 'Retry-After': String(seconds) }, body: 'slow down' } : then(request, index));
}

export const hang: Replier = () => 'hang';

export const badRequest: Replier = () => ({ status: 400, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ error: 'invalid order' }) });

export async function startDestination(reply: Replier = ok): Promise<Destination> {
  let current = reply;
  const received: Received[] = [];
  const waiters: Array<{ count: number; resolve: (r: Received[]) => void }> = [];
  let events = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const request: Received = { method: req.method!, path: req.url!, headers: req.headers, body, json, arrived: events++ };
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      res.once('close', () => inFlight--);
      const index = received.push(request) - 1;
      const answer = current(request, index);
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(received);
      }
      if (answer === 'hang') return;
      const send = () => {
        request.answered = events++;
        res.writeHead(answer.status, answer.headers ?? {});
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    waitFor(count) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    setReply(next) {
      current = next;
    },
    maxInFlight: () => mostInFlight,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
