/**
 * `MONGODB_URI=… node dist/bench/scale-out.js` (or `scripts/test-mongo.sh run npm run bench:scale-out`):
 * ingest requests/s of one hookport instance and of two instances on the same
 * MongoDB, measured in one run with the same load (CONNECTIONS keep-alive senders
 * in this process, each waiting for its answer; each server in its own process). The two-instance figure sends half the
 * senders to each. Also times the store operations one request costs, and what
 * a shared leaky bucket would add per request (one more round trip), to explain
 * the figures. Nothing here asserts a time.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import mongoose from 'mongoose';
import { BENCH_ADMIN_KEY, startHookport, type ServerProcess } from './processes';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

async function api(server: ServerProcess, path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/v1${path}`, {
    method: 'POST', headers: { Authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/**
 * CONNECTIONS senders in all, split evenly over the servers, each posting one
 * request after the other's answer (keep-alive), for `seconds`.
 */
async function load(servers: ServerProcess[], path: string, seconds: number, paths?: string[]): Promise<{ rps: number; p99: number; statuses: string }> {
  const body = JSON.stringify({ id: 1, email: 'jon@example.com', total: '199.00' });
  const statuses = new Map<string, number>();
  const latencies: number[] = [];
  const until = Date.now() + seconds * 1000;
  const sender = async (server: ServerProcess, name: string, target: string) => {
    while (Date.now() < until) {
      const started = performance.now();
      let status = 'error';
      try {
        const response = await fetch(`http://127.0.0.1:${server.port}${target}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
        await response.arrayBuffer();
        status = String(response.status);
      } catch {
        // counted as 'error'
      }
      latencies.push(performance.now() - started);
      statuses.set(`${name}:${status}`, (statuses.get(`${name}:${status}`) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, (_, i) => sender(servers[i % servers.length]!, `instance ${(i % servers.length) + 1}`, paths?.[i % servers.length] ?? path)));
  latencies.sort((x, y) => x - y);
  const ok = [...statuses].filter(([key]) => key.endsWith(':204')).reduce((sum, [, n]) => sum + n, 0);
  return {
    rps: ok / seconds,
    p99: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
    statuses: [...statuses].map(([key, n]) => `${key} ×${n}`).join(', '),
  };
}

/** Milliseconds per operation, `count` operations one after another. */
async function timeEach(count: number, operation: (i: number) => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await operation(i);
  return Number(process.hrtime.bigint() - started) / 1e6 / count;
}

async function storeRoundTrips(uri: string): Promise<Record<string, number>> {
  const connection = await mongoose.createConnection(uri).asPromise();
  const collection = connection.db!.collection<{ _id: string; n?: number; seq?: number }>(`bench_${crypto.randomBytes(4).toString('hex')}`);
  try {
    await collection.insertOne({ _id: 'counter', n: 0 });
    return {
      'insert one job-sized document': await timeEach(200, (i) => collection.insertOne({ _id: `job:${i}`, seq: i, json: 'x'.repeat(600) } as any)),
      'look one up by _id (the seq probe)': await timeEach(200, (i) => collection.findOne({ _id: `job:${i}` })),
      'update one by _id (what a shared bucket adds per request)': await timeEach(200, () => collection.updateOne({ _id: 'counter' }, { $inc: { n: 1 } })),
    };
  } finally {
    await collection.drop().catch(() => undefined);
    await connection.close();
  }
}

/** The same server, a database of its own for this run. */
function benchDatabase(uri: string): string {
  const url = new URL(uri);
  url.pathname = `/hookport_bench_${crypto.randomBytes(4).toString('hex')}`;
  return url.toString();
}

async function main(): Promise<void> {
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('set MONGODB_URI (e.g. scripts/test-mongo.sh run npm run bench:scale-out)');
  const env = {
    MONGODB_URI: benchDatabase(uri),
    HOOKPORT_SECRET_KEY: crypto.randomBytes(32).toString('base64'), LOG_LEVEL: 'info',
  };
  const first = await startHookport(env);
  const second = await startHookport(env);
  try {
    const listener = await api(first, '/listeners', { name: 'bench', verification: { type: 'none' }, limits: { capacity: 10_000_000, leakPerSecond: 10_000_000 } });
    // A flow that is switched off: jobs queue for it (as when its destination is slow), nothing is sent.
    await api(first, '/flows', { name: 'parked', listenerId: listener.id, imports: [], enabled: false, maxQueuedJobs: 10_000_000 });
    const path = `/hooks/${listener.id}`;
    await load([first, second], path, 2); // warm-up of both, not counted
    const one = await load([first], path, DURATION_SECONDS);
    const two = await load([first, second], path, DURATION_SECONDS);
    // The same two instances, each sender's listener its own: no sequence is contested.
    const other = await api(first, '/listeners', { name: 'bench 2', verification: { type: 'none' }, limits: { capacity: 10_000_000, leakPerSecond: 10_000_000 } });
    await api(first, '/flows', { name: 'parked 2', listenerId: other.id, imports: [], enabled: false, maxQueuedJobs: 10_000_000 });
    const apart = await load([first, second], '', DURATION_SECONDS, [path, `/hooks/${other.id}`]);
    const trips = await storeRoundTrips(env.MONGODB_URI);
    console.log(`\nscale-out on ${uri.split('@').pop()} — ${os.cpus().length} cores, ${CONNECTIONS} connections in all, ${DURATION_SECONDS} s each\n`);
    console.log('| instances | stored req/s (204) | p99 | answers |\n|---|---|---|---|');
    for (const [name, r] of [['1', one], ['2, one listener', two], ['2, a listener each', apart]] as const) console.log(`| ${name} | ${Math.round(r.rps)} | ${r.p99} ms | ${r.statuses} |`);
    console.log('\nstore round trips, one after another:');
    for (const [name, ms] of Object.entries(trips)) console.log(`- ${name}: ${ms.toFixed(2)} ms`);
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
