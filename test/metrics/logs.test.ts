import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createHmac } from 'node:crypto';
import supertest from 'supertest';
import { ManualClock } from '../../lib/clock';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { createServices, type Services } from '../../lib/services';
import { createApp, type RequestHandler } from '../../lib/app';
import { tempDir } from '../helpers/harness';

describe('structured logs', () => {
  const lines: string[] = [];
  let services: Services;
  let app: RequestHandler;
  let adminKey: string;
  let dataDir: string;
  const secrets = {
    password: 'log-basic-pass-4k8s',
    hmacKey: 'log-hmac-key-9d2w',
    token: 'log-query-token-1x7c',
    pathSecret: 'log-path-secret-5n3m',
    privateHeader: 'Bearer log-import-secret-6q0z',
  };
  const seen: string[] = [];

  before(async () => {
    dataDir = tempDir();
    const config = loadConfig({ env: { NODE_ENV: 'test' }, overrides: { dataDir, publicUrl: 'https://hooks.example.com' } });
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) });
    services = await createServices(config, { clock: new ManualClock(Date.UTC(2026, 10, 1)), logger });
    app = createApp(services);
    adminKey = (await services.apiKeys.create('admin', 'admin')).key;
    seen.push(adminKey);
    await services.start();
    const api = (method: 'post' | 'get' | 'patch', path: string, body?: object) => {
      const test = supertest(app)[method](`/api/v1${path}`).set('Authorization', `Bearer ${adminKey}`);
      return body ? test.send(body) : test;
    };

    const basic = (await api('post', '/listeners', { name: 'b', verification: { type: 'basic', username: 'u', passwords: [secrets.password] } })).body;
    const hmac = (await api('post', '/listeners', { name: 'h', verification: { type: 'hmac', algorithm: 'sha256', encoding: 'hex', header: 'X-Sig', keys: [secrets.hmacKey] } })).body;
    const token = (await api('post', '/listeners', { name: 't', verification: { type: 'token', tokens: [secrets.token], location: { in: 'query', name: 'token' } } })).body;
    const secretUrl = (await api('post', '/listeners', { name: 's', verification: { type: 'secret_url', secrets: [secrets.pathSecret] } })).body;
    await api('post', '/imports', { name: 'i', url: 'https://erp.example/x', headers: [{ name: 'Authorization', value: secrets.privateHeader, private: true }] });
    for (const id of [basic.id, hmac.id, token.id]) await api('post', `/listeners/${id}/debug`, { minutes: 5 });
    await api('patch', `/listeners/${basic.id}`, { verification: { passwords: [secrets.password, 'another-password-8h'] } });
    await api('get', `/listeners/${basic.id}/debug/logs?limit=5`);

    const auth = `Basic ${Buffer.from(`u:${secrets.password}`).toString('base64')}`;
    seen.push(auth);
    await supertest(app).post(`/hooks/${basic.id}`).set('Authorization', auth).send({ a: 1 });
    await supertest(app).post(`/hooks/${basic.id}`).set('Authorization', `Basic ${Buffer.from(`u:wrong-${secrets.password}`).toString('base64')}`).send({});
    const signature = createHmac('sha256', secrets.hmacKey).update('{"a":1}').digest('hex');
    seen.push(signature);
    await supertest(app).post(`/hooks/${hmac.id}`).set('Content-Type', 'application/json').set('X-Sig', signature).send('{"a":1}');
    await supertest(app).post(`/hooks/${token.id}?token=${secrets.token}`).send({});
    await supertest(app).post(`/hooks/${secretUrl.id}/${secrets.pathSecret}`).send({});
    await supertest(app).get(`/api/v1/listeners?token=${secrets.token}`).set('Authorization', `Bearer ${adminKey}`);
    await supertest(app).get('/api/v1/listeners').set('Authorization', `Bearer ${secrets.token}`);
    await services.observability.capture.flush();
  });
  after(async () => {
    await services.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes one JSON line per admin request, with its request id', async () => {
    const response = await supertest(app).get('/api/v1/listeners').set('Authorization', `Bearer ${adminKey}`).set('X-Request-Id', 'trace-me-42');
    assert.equal(response.status, 200);
    const matching = lines.map((line) => JSON.parse(line)).filter((entry) => entry.requestId === 'trace-me-42');
    assert.equal(matching.length, 1);
    assert.equal(matching[0].msg, 'admin request');
    assert.equal(matching[0].method, 'GET');
    assert.equal(matching[0].path, '/api/v1/listeners');
    assert.equal(matching[0].status, 200);
    assert.equal(matching[0].role, 'admin');
    assert.equal(matching[0].service, 'hookport');
    assert.equal(typeof matching[0].time, 'string');
  });

  it('logs refused admin requests too, without the key that was refused', () => {
    const refused = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'admin request' && entry.status === 401);
    assert.equal(refused.length, 1);
    assert.equal(refused[0].apiKeyId, undefined);
  });

  it('never writes a secret, a credential header or a signature', () => {
    assert.ok(lines.length > 10, `only ${lines.length} lines were written`);
    const all = lines.join('\n');
    for (const value of [...Object.values(secrets), ...seen]) assert.ok(!all.includes(value), `${value} appears in the logs`);
  });
});
