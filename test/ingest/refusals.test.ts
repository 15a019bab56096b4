import assert from 'node:assert/strict';
import http from 'node:http';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

describe('ingestion: refusals in the order of SPEC §3', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('answers 404 "No listener at this URL" for an unknown id and for a malformed one', async () => {
    for (const path of ['/hooks/abcdefghijklmnopqrstuvwxyz012345', '/hooks/short', '/hooks/']) {
      const response = await h.request().post(path).send({});
      assert.equal(response.status, 404, path);
      assert.equal(response.body.title, 'No listener at this URL');
      assert.ok(response.headers['x-request-id']);
    }
  });

  it('answers 404 for an extra path segment on a listener that is not secret-URL', async () => {
    const listener = await createListener(h, {});
    const response = await h.request().post(`${hookPath(listener)}/extra`).send({});
    assert.equal(response.status, 404);
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 0);
  });

  it('answers 405 with Allow for DELETE', async () => {
    const listener = await createListener(h, {});
    const response = await h.request().delete(hookPath(listener));
    assert.equal(response.status, 405);
    assert.equal(response.headers.allow, 'POST, PUT, PATCH, GET');
  });

  it('echoes a sane X-Request-Id and makes one otherwise', async () => {
    const listener = await createListener(h, {});
    const mine = await h.request().post(hookPath(listener)).set('X-Request-Id', 'partner-req-42').send({});
    assert.equal(mine.headers['x-request-id'], 'partner-req-42');
    const made = await h.request().post(hookPath(listener)).set('X-Request-Id', 'bad id with spaces').send({});
    assert.match(made.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  });

  it('limits with a leaky bucket: 429 with Retry-After once full, and room again as it leaks', async () => {
    const listener = await createListener(h, { limits: { capacity: 3, leakPerSecond: 1 } });
    for (let i = 0; i < 3; i++) {
      const ok = await h.request().post(hookPath(listener)).send({ i });
      assert.equal(ok.status, 204);
      assert.equal(ok.headers['ratelimit-limit'], '3');
      assert.equal(ok.headers['ratelimit-remaining'], String(2 - i));
    }
    const refused = await h.request().post(hookPath(listener)).send({ i: 3 });
    assert.equal(refused.status, 429);
    assert.equal(refused.body.title, 'Rate limit exceeded');
    assert.equal(refused.headers['retry-after'], '1');
    assert.equal(refused.headers['ratelimit-remaining'], '0');
    assert.equal(refused.headers['ratelimit-reset'], '3');
    h.clock.advanceSeconds(1);
    assert.equal((await h.request().post(hookPath(listener)).send({ i: 4 })).status, 204);
    assert.equal((await h.request().post(hookPath(listener)).send({ i: 5 })).status, 429);
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 4, 'refused requests stored nothing');
  });

  it('applies the instance-wide bucket across listeners', async () => {
    const local = await createHarness({ overrides: { instanceLimits: { capacity: 2, leakPerSecond: 1 } } });
    try {
      const a = await createListener(local, {});
      const b = await createListener(local, {});
      assert.equal((await local.request().post(hookPath(a)).send({})).status, 204);
      assert.equal((await local.request().post(hookPath(b)).send({})).status, 204);
      const refused = await local.request().post(hookPath(a)).send({});
      assert.equal(refused.status, 429);
      assert.match(refused.body.detail, /overall rate limit/);
    } finally {
      await local.close();
    }
  });

  it('answers 413 for a 6 MB body announced by Content-Length, without reading it', async () => {
    const listener = await createListener(h, {});
    const base = await h.listen();
    const body = Buffer.alloc(6 * 1024 * 1024, 'a');
    const response = await fetch(`${base}${hookPath(listener)}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as any).title, 'Payload too large');
  });

  it('answers 413 for a chunked body that passes the limit while streaming', async () => {
    const listener = await createListener(h, { parsing: { maxBodyBytes: 1024 } });
    const base = new URL(await h.listen());
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: base.hostname, port: base.port, path: hookPath(listener), method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      req.write('[' + '"x",'.repeat(200));
      req.write('"x",'.repeat(200));
      // never ends the body: the server must answer anyway
    });
    assert.equal(status, 413);
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 0);
  });

  it('answers 400 "No records at resource path" when the path matches nothing', async () => {
    const listener = await createListener(h, { records: { resourcePath: '$.orders[*]' } });
    const response = await h.request().post(hookPath(listener)).send({ customers: [] });
    assert.equal(response.status, 400);
    assert.equal(response.body.title, 'No records at resource path');
  });

  it('answers 503 "Temporarily unavailable" and no 2xx when the store cannot commit', async () => {
    const listener = await createListener(h, {});
    const store = h.services.store as any;
    const original = store.appendJob;
    store.appendJob = () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error'));
    try {
      const response = await h.request().post(hookPath(listener)).send({ a: 1 });
      assert.equal(response.status, 503);
      assert.equal(response.body.title, 'Temporarily unavailable');
    } finally {
      store.appendJob = original;
    }
  });

  it('answers 503 "Queue is full." with Retry-After when a flow is full, and writes nothing', async () => {
    const listener = await createListener(h, {});
    await h.api().post('/flows', { name: 'tiny', listenerId: listener.id, enabled: false, maxQueuedJobs: 2 }).expect(201);
    await h.request().post(hookPath(listener)).send({ n: 1 }).expect(204);
    await h.request().post(hookPath(listener)).send({ n: 2 }).expect(204);
    const response = await h.request().post(hookPath(listener)).send({ n: 3 });
    assert.equal(response.status, 503);
    assert.equal(response.body.title, 'Queue is full.');
    assert.ok(Number(response.headers['retry-after']) > 0);
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 2);
  });
});

describe('ingestion: request targets', () => {
  it('accepts the absolute form of the request target (RFC 9112) and routes it as a webhook', async () => {
    const net = await import('node:net');
    const h = await createHarness();
    try {
      const listener = await createListener(h, { verification: { type: 'secret_url' } });
      const secret = listener.generatedSecrets[0];
      const base = new URL(await h.listen());
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(base.port), '127.0.0.1', () => {
          const body = '{"a":1}';
          socket.write(`POST http://${base.host}/hooks/${listener.id}/${secret} HTTP/1.1\r\nHost: ${base.host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      assert.match(reply, /^HTTP\/1\.1 204/);
      assert.ok(!reply.includes(secret));
      assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 1);
    } finally {
      await h.close();
    }
  });
});
