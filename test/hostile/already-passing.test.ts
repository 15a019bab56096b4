/**
 * What the #11 attack pass found handled right, kept that way: each hostile
 * request gets its documented refusal promptly, the event loop keeps turning,
 * memory stays bounded, and a normal request is served right after.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';
import { measure, send, summary, type Reply } from './probe';

describe('hostile: what already held', () => {
  let h: Harness;
  let base: string;
  let path: string;
  before(async () => {
    h = await createHarness();
    base = await h.listen();
    path = hookPath(await createListener(h, {}));
  });
  after(() => h.close());

  async function expectRefusal(status: number, body: Buffer | string, contentType: string, detail?: RegExp): Promise<void> {
    const measured = await measure(() => send(base, path, { headers: { 'Content-Type': contentType }, body }));
    assert.equal(measured.result.status, status, summary(measured));
    if (detail) assert.match(JSON.parse(measured.result.body).detail, detail);
    assert.ok(measured.ms < 3000, summary(measured));
    assert.ok(measured.maxLoopDelayMs < 1000, summary(measured));
    assert.ok(measured.rssGrowthMiB < 300, summary(measured));
    const normal = await send(base, path, { headers: { 'Content-Type': 'application/json' }, body: '{"id":1}' });
    assert.equal(normal.status, 204, 'a normal request is served right after');
  }

  it('malformed JSON: 400 with line and column', () => expectRefusal(400, '{"a":\n  [1, 2,, 3]}', 'application/json', /line 2, column/));

  it('JSON nested 100,000 deep: 400', () => expectRefusal(400, '['.repeat(100_000) + ']'.repeat(100_000), 'application/json', /nested deeper than 64/));

  it('5 MiB + 1 byte: 413 from Content-Length', () => expectRefusal(413, Buffer.alloc(5 * 1024 * 1024 + 1, 0x20), 'application/json'));

  it('a chunked body that never ends: 413 once it passes the limit', async () => {
    const listener = await createListener(h, { parsing: { maxBodyBytes: 1024 * 1024 } });
    const reply = await new Promise<Reply>((resolve, reject) => {
      const req = http.request(`${base}${hookPath(listener)}`, { method: 'POST', agent: false, headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', () => undefined);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        // Bounded: at most 8 MiB, far past the limit; the server answers long before.
        while (sent < 8 * 1024 * 1024 && req.write(chunk)) sent += chunk.length;
        if (sent < 8 * 1024 * 1024) req.once('drain', pump);
      };
      pump();
      setTimeout(() => reject(new Error('no answer in 10 s')), 10_000).unref();
    });
    assert.equal(reply.status, 413);
  });

  it('XML billion laughs: entities are not expanded', async () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') + ']><lolz>&lol9;</lolz>';
    const measured = await measure(() => send(base, path, { headers: { 'Content-Type': 'application/xml' }, body: lol }));
    assert.ok(measured.result.status === 204 || measured.result.status === 400, summary(measured));
    assert.ok(measured.ms < 2000 && measured.rssGrowthMiB < 100, summary(measured));
  });

  it('XXE: an external entity is never fetched nor expanded', async () => {
    const listener = await createListener(h, {});
    const xxe = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>';
    const reply = await send(base, hookPath(listener), { headers: { 'Content-Type': 'application/xml' }, body: xxe });
    assert.ok(reply.status === 204 || reply.status === 400, reply.body);
    const jobs = await h.services.store.readJobs(listener.id, 0, 10);
    assert.ok(!JSON.stringify(jobs).includes('root:'), 'nothing from /etc/passwd');
  });

  it('prototype-pollution keys: 400, and no prototype changed', async () => {
    await expectRefusal(400, '{"__proto__":{"polluted":true}}', 'application/json', /__proto__/);
    await expectRefusal(400, '__proto__[polluted]=true&constructor[prototype][polluted]=true', 'application/x-www-form-urlencoded');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('slowloris-lite: 100 half-sent requests do not keep a normal one waiting', async () => {
    const { port } = new URL(base);
    const sockets: net.Socket[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const socket = net.connect(Number(port), '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Slow-${i}: `);
        sockets.push(socket);
      }
      const measured = await measure(() => send(base, path, { headers: { 'Content-Type': 'application/json' }, body: '{"id":2}' }));
      assert.equal(measured.result.status, 204, summary(measured));
      assert.ok(measured.ms < 2000, summary(measured));
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });
});
