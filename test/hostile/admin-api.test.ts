/**
 * Findings 4 and 7 of #11. The admin API parsed a body before it checked the key
 * (an 8 MB nested JSON without a key got its 401 after 1.2 s; four of them stalled
 * /healthz 2.7 s), had no rate limit on failed authentication, and let JSON nested
 * thousands deep reach code that recursed (a 500 from mockOutput 5,000 deep, and
 * from POST /structure over a sample 3,000 deep).
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, type Harness } from '../helpers/harness';
import { measure, send, summary } from './probe';

const nested = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);

describe('hostile: admin API', () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await createHarness({ overrides: { admin: { failedAuth: { maxFailures: 5, windowSeconds: 60 } } } });
    base = await h.listen();
  });
  after(() => h.close());

  it('answers 401 to an 8 MB nested JSON without a key before reading it, and /healthz stays prompt', async () => {
    const body = `{"name":"x","mockOutput":${nested(3_999_990)}}`;
    const measured = await measure(async () => {
      const attempts = await Promise.all(
        [1, 2, 3, 4].map(() => send(base, '/api/v1/listeners', { headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.9' }, body }).catch((e: Error) => ({ status: 0, headers: {}, body: e.message }))),
      );
      const health = await send(base, '/healthz', { method: 'GET' });
      return [...attempts, health];
    });
    const replies = measured.result;
    if (process.env.HOOKPORT_HOSTILE_FIGURES) console.log(summary(measured));
    for (const reply of replies.slice(0, 4)) assert.ok(reply.status === 401 || reply.status === 0, summary(measured));
    assert.equal(replies[4]!.status, 200);
    assert.ok(measured.ms < 5000, summary(measured));
    assert.ok(measured.maxLoopDelayMs < 1000, summary(measured));
  });

  it('caps an authenticated admin body at admin.maxBodyBytes (1 MiB) with 413', async () => {
    const body = JSON.stringify({ name: 'big', mockOutput: ['x'.repeat(1024 * 1024)] });
    const reply = await send(base, '/api/v1/listeners', { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.adminKey}` }, body });
    assert.equal(reply.status, 413);
    assert.match(JSON.parse(reply.body).detail, /admin\.maxBodyBytes/);
  });

  it('rate-limits failed authentication per client address: 429 with Retry-After, then room again after the window', async () => {
    h.clock.advanceSeconds(61); // a fresh window: the keyless requests above counted too
    const wrong = { method: 'GET', headers: { Authorization: 'Bearer wrong-key-wrong-key' } };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send(base, '/api/v1/listeners', wrong)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    const limited = await send(base, '/api/v1/listeners', { method: 'GET', headers: { Authorization: `Bearer ${h.adminKey}` } });
    assert.equal(limited.status, 429, 'the address is held off whatever key it tries');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal(JSON.parse(limited.body).code, 'ERR_TOO_MANY_FAILED_AUTHENTICATIONS');
    h.clock.advanceSeconds(61);
    assert.equal((await send(base, '/api/v1/listeners', { method: 'GET', headers: { Authorization: `Bearer ${h.adminKey}` } })).status, 200);
  });

  it('refuses JSON nested deeper than the ingest limit (64) in every admin body with 400, never a 500', async () => {
    const deepListener = await send(base, '/api/v1/listeners', {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.adminKey}` }, body: `{"name":"deep","mockOutput":[${nested(5000, '{}')}]}`,
    });
    assert.equal(deepListener.status, 400, deepListener.body.slice(0, 300));
    assert.match(JSON.parse(deepListener.body).detail, /nested deeper than 64/);
    const listener = await createListener(h, {});
    const sample = await send(base, `/api/v1/listeners/${listener.id}/sample`, {
      method: 'PUT', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.adminKey}` }, body: `{"body":${nested(3000)}}`,
    });
    assert.equal(sample.status, 400, sample.body.slice(0, 300));
    const structure = await send(base, `/api/v1/listeners/${listener.id}/structure`, { headers: { Authorization: `Bearer ${h.adminKey}` } });
    assert.notEqual(structure.status, 500);
    assert.equal((await send(base, '/healthz', { method: 'GET' })).status, 200);
  });
});
