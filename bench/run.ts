/**
 * `npm run bench`: hookport's ingest path against a bare node:http server,
 * measured side by side in one run on the same machine, with the same load
 * generator (autocannon, in this process; each server in its own process).
 *
 * The target (issue 3): hookport at least half the bare server's throughput while
 * verifying, parsing, limiting and durably storing (fsync'd group commits) every
 * request. Figures print as a table; nothing here asserts a time.
 */
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import { BENCH_ADMIN_KEY, startBare, startHookport, type ServerProcess } from './processes';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

const ORDER = JSON.stringify({
  id: 820982911946154500,
  email: 'jon@example.com',
  created_at: '2026-11-01T12:00:00-05:00',
  total_price: '199.00',
  currency: 'USD',
  line_items: Array.from({ length: 5 }, (_, i) => ({ id: 866550311766439000 + i, title: `Item ${i}`, quantity: 1, price: '39.80', sku: `SKU-${i}` })),
  shipping_address: { first_name: 'Jon', last_name: 'Snow', address1: '1 Wall St', city: 'Winterfell', zip: '01234', country: 'US' },
});

interface Result {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  rssMiB: number;
}

async function load(name: string, server: ServerProcess, path: string, headers: Record<string, string>, body: string): Promise<Result> {
  const url = `http://127.0.0.1:${server.port}${path}`;
  // warm-up, not counted
  await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: 2 });
  const result = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: DURATION_SECONDS });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    rssMiB: server.rssMiB(),
  };
}

async function api(server: ServerProcess, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

const UNLIMITED = { capacity: 10_000_000, leakPerSecond: 10_000_000 };

async function main(): Promise<void> {
  console.log(`hookport benchmark: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario (+2 s warm-up), body ${ORDER.length} bytes of JSON\n`);
  const results: Result[] = [];

  const bare = await startBare();
  try {
    results.push(await load('bare node:http (read body, 204)', bare, '/', { 'content-type': 'application/json' }, ORDER));
  } finally {
    await bare.stop();
  }

  const hookport = await startHookport();
  try {
    const plain = await api(hookport, 'POST', '/listeners', { name: 'bench plain', limits: UNLIMITED });
    results.push(await load('hookport: JSON, no verification, stored', hookport, `/hooks/${plain.id}`, { 'content-type': 'application/json' }, ORDER));

    const secret = 'bench-shopify-secret-0123456789';
    const shopify = await api(hookport, 'POST', '/listeners', {
      name: 'bench shopify', limits: UNLIMITED, verification: { type: 'preset', provider: 'shopify', secrets: [secret] },
    });
    const signature = crypto.createHmac('sha256', secret).update(ORDER).digest('base64');
    results.push(
      await load('hookport: Shopify HMAC verified, stored', hookport, `/hooks/${shopify.id}`, { 'content-type': 'application/json', 'x-shopify-hmac-sha256': signature }, ORDER),
    );

    const paged = await api(hookport, 'POST', '/listeners', {
      name: 'bench records', limits: UNLIMITED, records: { resourcePath: '$.line_items[*]', traceKeyTemplate: '{{sku}}' },
    });
    results.push(await load('hookport: records split + trace keys, stored', hookport, `/hooks/${paged.id}`, { 'content-type': 'application/json' }, ORDER));

    // The same as the first scenario with a debug session recording every request (SPEC §13),
    // to show what capture costs when on (when off it is one comparison per request).
    const debugged = await api(hookport, 'POST', '/listeners', { name: 'bench debug', limits: UNLIMITED });
    await api(hookport, 'POST', `/listeners/${debugged.id}/debug`, { minutes: 60 });
    results.push(await load('hookport: JSON stored, debug session on', hookport, `/hooks/${debugged.id}`, { 'content-type': 'application/json' }, ORDER));
  } finally {
    await hookport.stop();
  }

  const baseline = results[0]!.requestsPerSecond;
  const rows = results.map((r) => ({
    scenario: r.name,
    'req/s': Math.round(r.requestsPerSecond),
    'vs bare': (r.requestsPerSecond / baseline).toFixed(2),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'non-2xx': r.non2xx,
    errors: r.errors,
    'RSS MiB': Math.round(r.rssMiB),
  }));
  console.table(rows);
  const worst = Math.min(...results.slice(1, 4).map((r) => r.requestsPerSecond / baseline));
  console.log(`\nslowest hookport scenario / bare node:http = ${worst.toFixed(2)} (target >= 0.50)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
