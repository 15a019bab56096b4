/**
 * `npm run bench:routing`: what routing by uid costs a shared listener
 * (issue 14), and that it does not grow with the number of connections: the
 * same requests to the same shared listener with 1 connection, then with
 * 10,000 (each uid lookup is one indexed query). A listener without routing
 * is the baseline. Figures print as a table; nothing here asserts a time.
 */
import autocannon from 'autocannon';
import { BENCH_ADMIN_KEY, startHookport, type ServerProcess } from './processes';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 10_000);
const UNLIMITED = { capacity: 10_000_000, leakPerSecond: 10_000_000 };

const BODY = JSON.stringify({
  account: { id: 'acct_target' },
  event: 'order.paid',
  order: { id: 820982911946154500, total_price: '199.00', currency: 'USD', line_items: Array.from({ length: 5 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 })) },
});

async function api(server: ServerProcess, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : response.json();
}

async function load(name: string, server: ServerProcess, listenerId: string): Promise<Record<string, unknown>> {
  const options = { url: `http://127.0.0.1:${server.port}/hooks/${listenerId}`, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: BODY, connections: CONNECTIONS };
  await autocannon({ ...options, duration: 2 });
  const result = await autocannon({ ...options, duration: DURATION_SECONDS });
  return { scenario: name, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99, 'non-2xx': result.non2xx, errors: result.errors + result.timeouts };
}

/** Creates `count` connections with uids, a few at a time. */
async function addTenants(server: ServerProcess, count: number): Promise<void> {
  const BATCH = 20;
  for (let start = 0; start < count; start += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, count - start) }, (_, i) =>
        api(server, 'POST', '/connections', { name: `tenant ${start + i}`, baseUrl: 'https://erp.example', uid: `acct_${start + i}` })),
    );
  }
}

async function main(): Promise<void> {
  console.log(`shared-listener benchmark: ${CONNECTIONS} connections, ${DURATION_SECONDS} s per scenario (+2 s warm-up), ${TENANTS} tenant connections in the last\n`);
  const hookport = await startHookport();
  const rows: Array<Record<string, unknown>> = [];
  try {
    const plain = await api(hookport, 'POST', '/listeners', { name: 'bench plain', limits: UNLIMITED });
    await api(hookport, 'POST', '/connections', { name: 'target tenant', baseUrl: 'https://erp.example', uid: 'acct_target' });
    const shared = await api(hookport, 'POST', '/listeners', { name: 'bench shared', limits: UNLIMITED, routing: { uid: '{{body.account.id}}' } });
    rows.push(await load('no routing', hookport, plain.id));
    rows.push(await load('routed by uid, 1 connection', hookport, shared.id));
    const started = Date.now();
    await addTenants(hookport, TENANTS);
    console.log(`created ${TENANTS} connections in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    rows.push(await load(`routed by uid, ${TENANTS + 1} connections`, hookport, shared.id));
  } finally {
    await hookport.stop();
  }
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
