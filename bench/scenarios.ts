/** The measuring pieces of `npm run bench` (run.ts): a load with autocannon, a timed drain, the end-to-end run, and the admin API calls they need. */
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import { BENCH_ADMIN_KEY, type ServerProcess } from './processes';
import type { Sink } from './sink';
import { DURATION_SECONDS, CONNECTIONS, E2E_SECONDS, SECRET, UNLIMITED, ORDER, GITHUB_HEADERS } from './settings';

export interface Row {
  scenario: string;
  rate: number;
  unit: string;
  p50?: number;
  p99?: number;
  non2xx?: number;
  errors?: number;
  /** Of the server under test; none for what runs in the bench process. */
  peakRssMiB?: number;
  note?: string;
}

/** Samples the server's RSS every 100 ms while `work` runs; returns the peak with the result. */
export async function withPeakRss<T>(server: ServerProcess, work: () => Promise<T>): Promise<[T, number]> {
  let peak = server.rssMiB();
  const timer = setInterval(() => { peak = Math.max(peak, server.rssMiB()); }, 100);
  try {
    const result = await work();
    return [result, Math.max(peak, server.rssMiB())];
  } finally {
    clearInterval(timer);
  }
}

/** autocannon options; `uniqueDelivery` gives each request its own X-GitHub-Delivery (dedup must not short-cut). */
export function options(url: string, headers: Record<string, string>, body: string, uniqueDelivery: boolean): autocannon.Options {
  const base = { url, method: 'POST' as const, headers, body, connections: CONNECTIONS };
  if (!uniqueDelivery) return base;
  return { ...base, requests: [{ method: 'POST', setupRequest: (request: any) => ({ ...request, headers: { ...headers, 'x-github-delivery': crypto.randomUUID() } }) }] };
}

export async function load(name: string, server: ServerProcess, urlPath: string, headers: Record<string, string>, body: string, uniqueDelivery: boolean): Promise<Row & { accepted: number }> {
  const url = `http://127.0.0.1:${server.port}${urlPath}`;
  await autocannon({ ...options(url, headers, body, uniqueDelivery), duration: 2 }); // warm-up, not counted
  const [result, peakRssMiB] = await withPeakRss(server, () => autocannon({ ...options(url, headers, body, uniqueDelivery), duration: DURATION_SECONDS }));
  return {
    scenario: name, rate: result.requests.average, unit: 'req/s', p50: result.latency.p50, p99: result.latency.p99,
    non2xx: result.non2xx, errors: result.errors + result.timeouts, peakRssMiB, accepted: result['2xx'],
  };
}

export async function api(server: ServerProcess, method: string, apiPath: string, body?: unknown): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/v1${apiPath}`, {
    method,
    headers: { Authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${apiPath}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil(predicate: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

/**
 * Queues `requests` jobs on a disabled flow into `sink`, then enables it and
 * times the drain: the delivery rate without ingest competing for the CPU.
 * `body` may be a function of the request's number (a body per job).
 */
export async function drainScenario(
  name: string, hookport: ServerProcess, sink: Sink, listenerSettings: Record<string, unknown>, body: string | ((n: number) => string), requests: number, unit: 'pages/s' | 'records/s',
  flowSettings: Record<string, unknown> = {},
): Promise<Row & { accepted: number }> {
  const listener = await api(hookport, 'POST', '/listeners', { name, limits: UNLIMITED, ...listenerSettings });
  const imp = await api(hookport, 'POST', '/imports', { name: `${name} sink`, url: sink.url });
  const flow = await api(hookport, 'POST', '/flows', { name, listenerId: listener.id, imports: [imp.id], enabled: false, maxQueuedJobs: 10_000_000, ...flowSettings });
  let sent = 0;
  const bodies = typeof body === 'string'
    ? { body }
    : { requests: [{ method: 'POST' as const, setupRequest: (request: any) => ({ ...request, body: body(sent++) }) }] };
  const fill = await autocannon({ url: `http://127.0.0.1:${hookport.port}/hooks/${listener.id}`, method: 'POST', headers: { 'content-type': 'application/json' }, ...bodies, connections: CONNECTIONS, amount: requests });
  const expected = unit === 'pages/s' ? fill['2xx'] : fill['2xx'] * 100;
  const startPages = sink.pages;
  const startRecords = sink.records;
  const started = process.hrtime.bigint();
  await api(hookport, 'PATCH', `/flows/${flow.id}`, { enabled: true });
  const [done, peakRssMiB] = await withPeakRss(hookport, () =>
    waitUntil(() => (unit === 'pages/s' ? sink.pages - startPages : sink.records - startRecords) >= expected, 120_000));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const delivered = unit === 'pages/s' ? sink.pages - startPages : sink.records - startRecords;
  return { scenario: name, rate: delivered / seconds, unit, peakRssMiB, accepted: fill['2xx'], note: `${delivered} of ${expected} in ${seconds.toFixed(1)} s${done ? '' : ' (timed out)'}` };
}

/** Configures `count` more listeners (16 requests at a time); resolves with how long it took. */
export async function addListeners(server: ServerProcess, count: number): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) {
      const n = next++;
      await api(server, 'POST', '/listeners', { name: `bench filler ${n}`, verification: { type: 'preset', provider: 'github', secrets: [`${SECRET}-${n}`] } });
    }
  }));
  return (Date.now() - started) / 1000;
}

export async function endToEnd(hookport: ServerProcess, sink: Sink): Promise<{ row: Row & { accepted: number }; depths: number[]; deliveredShare: number }> {
  const listener = await api(hookport, 'POST', '/listeners', { name: 'bench e2e', limits: UNLIMITED, verification: { type: 'preset', provider: 'github', secrets: [SECRET] } });
  const imp = await api(hookport, 'POST', '/imports', { name: 'e2e sink', url: sink.url });
  const flow = await api(hookport, 'POST', '/flows', { name: 'bench e2e', listenerId: listener.id, imports: [imp.id], maxQueuedJobs: 10_000_000 });
  const startPages = sink.pages;
  const depths: number[] = [];
  const poll = setInterval(() => {
    void api(hookport, 'GET', `/flows/${flow.id}`).then((f) => {
      depths.push(f.queueDepth);
      console.log(`  e2e t=${depths.length}s queue depth ${f.queueDepth}, delivered ${sink.pages - startPages}`);
    }, () => undefined);
  }, 1000);
  const url = `http://127.0.0.1:${hookport.port}/hooks/${listener.id}`;
  const [result, peakRssMiB] = await withPeakRss(hookport, async () => {
    const loaded = await autocannon({ ...options(url, GITHUB_HEADERS, ORDER, true), duration: E2E_SECONDS });
    await sleep(5000);
    return loaded;
  });
  clearInterval(poll);
  const delivered = sink.pages - startPages;
  // Its backlog stays stored (pending jobs for the growth row) but is not delivered meanwhile: the
  // growth row measures ingest against a big store, not against a flow still draining on the same CPU.
  await api(hookport, 'PATCH', `/flows/${flow.id}`, { enabled: false });
  const accepted = result['2xx'];
  const share = accepted > 0 ? delivered / accepted : 0;
  return {
    row: {
      scenario: `end to end ${E2E_SECONDS} s github ingest + flow`, rate: result.requests.average, unit: 'req/s', p50: result.latency.p50, p99: result.latency.p99,
      non2xx: result.non2xx, errors: result.errors + result.timeouts, peakRssMiB, accepted,
      note: `delivered ${delivered} of ${accepted} accepted (${(share * 100).toFixed(1)}%) 5 s after; max queue depth ${Math.max(0, ...depths)}`,
    },
    depths,
    deliveredShare: share,
  };
}
