/** The bench's knobs (environment, see bench/README.md) and the requests it sends. */
import crypto from 'node:crypto';

export const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const E2E_SECONDS = Number(process.env.BENCH_E2E_SECONDS ?? 20);
export const SINGLE_JOBS = Number(process.env.BENCH_SINGLE_JOBS ?? 5000);
export const BULK_REQUESTS = Number(process.env.BENCH_BULK_REQUESTS ?? 1000);
export const SLOW_JOBS = Number(process.env.BENCH_SLOW_JOBS ?? 200);
export const KEYED_JOBS = Number(process.env.BENCH_KEYED_JOBS ?? 5000);
/** Single-record jobs drained once before the delivery rows, not counted (as each ingest row warms up 2 s first). */
export const DELIVERY_WARMUP_JOBS = Number(process.env.BENCH_DELIVERY_WARMUP_JOBS ?? 3000);
/** The parallel delivery scenario: pages in flight, and distinct ordering keys the jobs cycle through. */
export const KEYED = { concurrency: 50, keys: 1000 };
/** `ingest`: no delivery and end-to-end rows, for iterating on the hot path. */
export const ONLY = process.env.BENCH_ONLY ?? 'all';
export const MANY_LISTENERS = Number(process.env.BENCH_LISTENERS ?? 10_000);
export const PURGE_JOBS = Number(process.env.BENCH_PURGE_JOBS ?? 50_000);
export const SECRET = 'bench-github-secret-0123456789';
export const UNLIMITED = { capacity: 10_000_000, leakPerSecond: 10_000_000 };

export const ORDER = JSON.stringify({
  id: 820982911946154500,
  email: 'jon@example.com',
  created_at: '2026-11-01T12:00:00-05:00',
  total_price: '199.00',
  currency: 'USD',
  line_items: Array.from({ length: 5 }, (_, i) => ({ id: 866550311766439000 + i, title: `Item ${i}`, quantity: 1, price: '39.80', sku: `SKU-${i}` })),
  shipping_address: { first_name: 'Jon', last_name: 'Snow', address1: '1 Wall St', city: 'Winterfell', zip: '01234', country: 'US' },
});
export const SIGNATURE = `sha256=${crypto.createHmac('sha256', SECRET).update(ORDER).digest('hex')}`;
/** GitHub's scheme as a plain hmac verifier: the same signature check without the preset's dedup on X-GitHub-Delivery. */
export const GITHUB_HMAC_ONLY = { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Hub-Signature-256', prefix: 'sha256=', keys: [SECRET] };
export const GITHUB_HEADERS = { 'content-type': 'application/json', 'x-hub-signature-256': SIGNATURE, 'x-github-event': 'push' };
export const BULK = JSON.stringify({ items: Array.from({ length: 100 }, (_, i) => ({ id: i, sku: `SKU-${i}`, quantity: 1, price: '39.80' })) });
