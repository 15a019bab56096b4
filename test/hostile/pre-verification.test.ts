/**
 * Finding 3 of #11: on a listener with a handshake (Slack, Zoom, Meta presets)
 * an unsigned sender made the server parse the body before the signature was
 * checked: a 4.7 MiB XML with 420k attributes got its 401 after 3.1 s, and
 * everything else waited. A handshake now reads only a small JSON body (or the
 * query of a GET); anything else is verified before it is parsed.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { measure, send, summary } from './probe';

function attributeBomb(count: number): string {
  const parts: string[] = ['<a'];
  for (let i = 0; i < count; i++) parts.push(` a${i}="1"`);
  parts.push('/>');
  return parts.join('');
}

describe('hostile: parsing before verification', () => {
  let h: Harness;
  let base: string;
  before(async () => {
    h = await createHarness();
    base = await h.listen();
  });
  after(() => h.close());

  it('answers an unsigned 4.7 MiB XML attribute bomb to a Slack listener with a prompt 401, without stalling the server', async () => {
    const listener = await createListener(h, { verification: { type: 'preset', provider: 'slack', secrets: ['slack-signing-secret'] } });
    const body = attributeBomb(420_000);
    assert.ok(body.length > 4.5 * 1024 * 1024 && body.length < 5 * 1024 * 1024);
    const measured = await measure(() => send(base, hookPath(listener), { headers: { 'Content-Type': 'application/xml' }, body }));
    assert.equal(measured.result.status, 401, summary(measured));
    if (process.env.HOOKPORT_HOSTILE_FIGURES) console.log(summary(measured));
    assert.ok(measured.ms < 3000, summary(measured));
    assert.ok(measured.maxLoopDelayMs < 1000, summary(measured));
    const normal = await send(base, hookPath(listener), {
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'url_verification', challenge: 'abc' }),
    });
    assert.equal(normal.status, 401, 'Slack signs its handshake: still verified, and answered');
  });

  it('still answers a small JSON handshake that needs no signature, and ignores a JSON one above 64 KiB', async () => {
    const listener = await createListener(h, {
      handshake: [{ when: [{ path: '$.body.type', equals: 'ping' }], respond: { status: 200, type: 'json', body: { pong: '{{body.id}}' } } }],
      verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Signature', keys: ['k'] },
    });
    const small = await send(base, hookPath(listener), { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'ping', id: 7 }) });
    assert.equal(small.status, 200);
    assert.deepEqual(JSON.parse(small.body), { pong: '7' });
    const large = await send(base, hookPath(listener), {
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'ping', id: 7, pad: 'x'.repeat(70 * 1024) }),
    });
    assert.equal(large.status, 401, 'too large for a handshake: verified like any request');
  });
});
