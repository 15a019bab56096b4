/**
 * Finding 8 of #11: error amplification. `<a>` × 1.7M (5.1 MB) got a 400 whose
 * `detail` listed every open tag: 17 MB. Every error detail is capped at 1 KiB.
 */
import assert from 'node:assert/strict';
import { AppError, MAX_DETAIL_CHARS, toProblem } from '../../lib/errors';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { measure, send, summary } from './probe';

describe('hostile: error amplification', () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await createHarness();
    base = await h.listen();
  });
  after(() => h.close());

  it('answers 5 MB of unclosed <a> with a 400 whose detail is at most 1 KiB', async () => {
    const listener = await createListener(h, {});
    const body = '<a>'.repeat(1_700_000);
    const measured = await measure(() => send(base, hookPath(listener), { headers: { 'Content-Type': 'application/xml' }, body }));
    if (process.env.HOOKPORT_HOSTILE_FIGURES) console.log(summary(measured), measured.result.body.length);
    assert.equal(measured.result.status, 400, summary(measured));
    assert.ok(measured.result.body.length < 2048, `answer of ${measured.result.body.length} characters`);
    assert.ok(JSON.parse(measured.result.body).detail.length <= MAX_DETAIL_CHARS);
    assert.ok(measured.ms < 5000, summary(measured));
    assert.equal((await send(base, hookPath(listener), { headers: { 'Content-Type': 'application/xml' }, body: '<a>1</a>' })).status, 204);
  });

  it('caps the detail and the field errors of any AppError', () => {
    const errors = Array.from({ length: 500 }, (_, i) => ({ path: `/x/${i}`, message: 'm'.repeat(5000) }));
    const problem = toProblem(new AppError('ERR_INVALID_REQUEST', 'd'.repeat(100_000), { extensions: { errors } }), 'r');
    assert.equal(problem.detail.length, MAX_DETAIL_CHARS);
    assert.ok(problem.detail.endsWith('…'));
    assert.equal((problem.errors as unknown[]).length, 50);
    assert.equal((problem.errors as Array<{ message: string }>)[0]!.message.length, MAX_DETAIL_CHARS);
  });
});
