/**
 * Finding 1 of #11: one request with a huge number of records froze every
 * listener and the admin API (1M items: 2.4 s; 2.6M: 10 s and +570 MB that stayed).
 * `records.maxPerRequest` refuses such a request; that a maximal accepted request
 * of every body kind is split, paged and stored without stalling the event loop
 * is checked in maximal-bodies.test.ts.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { measure, send, summary } from './probe';

describe('hostile: records per request', () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await createHarness();
    base = await h.listen();
  });
  after(() => h.close());

  it('refuses a 1,000,000-item array with 413 naming records.maxPerRequest, without freezing the server', async () => {
    const listener = await createListener(h, {});
    const body = `[${'1,'.repeat(999_999)}1]`;
    const measured = await measure(() =>
      send(base, hookPath(listener), { headers: { 'Content-Type': 'application/json' }, body }),
    );
    const reply = measured.result;
    assert.equal(reply.status, 413, summary(measured));
    assert.match(JSON.parse(reply.body).detail, /records\.maxPerRequest.*10000/);
    assert.ok(measured.ms < 3000, summary(measured));
    assert.ok(measured.maxLoopDelayMs < 1000, summary(measured));
    assert.ok(measured.rssGrowthMiB < 300, summary(measured));
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 0, 'nothing stored');
    const normal = await send(base, hookPath(listener), { headers: { 'Content-Type': 'application/json' }, body: '[{"id":1}]' });
    assert.equal(normal.status, 204);
  });

  it('counts records after the resource path and the listener limit can be lowered', async () => {
    const listener = await createListener(h, { records: { resourcePath: '$.orders[*]', maxPerRequest: 3 } });
    const refused = await send(base, hookPath(listener), {
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orders: [1, 2, 3, 4] }),
    });
    assert.equal(refused.status, 413);
    assert.equal(JSON.parse(refused.body).code, 'ERR_TOO_MANY_RECORDS');
    const accepted = await send(base, hookPath(listener), {
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ orders: [1, 2, 3] }),
    });
    assert.equal(accepted.status, 204);
  });
});
