import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

/** The value of one series in Prometheus text format, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.keys(found).length === Object.keys(labels).length && Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('/metrics', () => {
  let h: Harness;
  let limited: any;
  let plain: any;
  let flowId: string;
  let text: string;

  before(async () => {
    h = await createHarness();
    limited = await createListener(h, { limits: { capacity: 2, leakPerSecond: 0.01 } });
    plain = await createListener(h, {});
    const imported = await h.api().post('/imports', { name: 'erp', url: 'https://erp.example/orders' });
    flowId = (await h.api().post('/flows', { name: 'paused', listenerId: limited.id, imports: [imported.body.id], enabled: false })).body.id;

    for (let i = 0; i < 3; i++) await h.request().post(hookPath(limited)).send({ i });
    await h.request().post(hookPath(plain)).send({});
    await h.request().post(hookPath(plain)).set('Content-Type', 'application/json').send('{broken');
    await h.request().post('/hooks/abcdefghijklmnopqrstuvwxyz012345').send({});
    h.services.observability.metrics.recordDelivery('import-1', flowId, 'success');
    h.services.observability.metrics.recordDelivery('import-1', flowId, 'success');
    h.services.observability.metrics.failed('import-1', flowId);
    h.services.observability.metrics.retrying('import-1', flowId);

    const response = await h.request().get('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/);
    text = response.text;
  });
  after(() => h.close());

  it('counts webhook requests by listener and status, unknown URLs under one label', () => {
    assert.equal(sample(text, 'hookport_requests_total', { listener: limited.id, status: '204' }), 2);
    assert.equal(sample(text, 'hookport_requests_total', { listener: limited.id, status: '429' }), 1);
    assert.equal(sample(text, 'hookport_requests_total', { listener: plain.id, status: '204' }), 1);
    assert.equal(sample(text, 'hookport_requests_total', { listener: plain.id, status: '400' }), 1);
    assert.equal(sample(text, 'hookport_requests_total', { listener: 'unknown', status: '404' }), 1);
    assert.ok(!text.includes('abcdefghijklmnopqrstuvwxyz012345'), 'an id that names no listener never becomes a label');
  });

  it('has a latency histogram per listener', () => {
    assert.equal(sample(text, 'hookport_request_duration_seconds_count', { listener: limited.id }), 3);
    assert.equal(sample(text, 'hookport_request_duration_seconds_count', { listener: plain.id }), 2);
    assert.equal(sample(text, 'hookport_request_duration_seconds_bucket', { listener: limited.id, le: '+Inf' }), 3);
    assert.ok(sample(text, 'hookport_request_duration_seconds_sum', { listener: limited.id })! >= 0);
  });

  it('counts limiter refusals by listener and scope', () => {
    assert.equal(sample(text, 'hookport_rate_limited_total', { listener: limited.id, scope: 'listener' }), 1);
    assert.equal(sample(text, 'hookport_rate_limited_total', { listener: plain.id, scope: 'listener' }), undefined);
  });

  it('reads each flow’s queue depth on scrape', async () => {
    assert.equal(sample(text, 'hookport_queue_depth', { flow: flowId }), 2);
    await h.request().post(hookPath(plain)).send({});
    h.clock.advanceSeconds(200);
    await h.request().post(hookPath(limited)).send({});
    const later = (await h.request().get('/metrics')).text;
    assert.equal(sample(later, 'hookport_queue_depth', { flow: flowId }), 3);
    await h.api().delete(`/flows/${flowId}`);
    const gone = (await h.request().get('/metrics')).text;
    assert.equal(sample(gone, 'hookport_queue_depth', { flow: flowId }), undefined, 'a deleted flow drops out');
  });

  it('counts deliveries by import, flow and result', () => {
    assert.equal(sample(text, 'hookport_deliveries_total', { import: 'import-1', flow: flowId, result: 'success' }), 2);
    assert.equal(sample(text, 'hookport_deliveries_total', { import: 'import-1', flow: flowId, result: 'failure' }), 1);
    assert.equal(sample(text, 'hookport_deliveries_total', { import: 'import-1', flow: flowId, result: 'retry' }), 1);
  });

  it('keeps each app instance’s series to itself', async () => {
    const other = await createHarness();
    try {
      const otherText = (await other.request().get('/metrics')).text;
      assert.ok(otherText.includes('# TYPE hookport_requests_total counter'));
      assert.ok(!otherText.includes(limited.id));
    } finally {
      await other.close();
    }
  });

  it('counts a refusal by the instance-wide bucket under scope instance', async () => {
    const local = await createHarness({ overrides: { instanceLimits: { capacity: 1, leakPerSecond: 0.01 } } });
    try {
      const listener = await createListener(local, {});
      assert.equal((await local.request().post(hookPath(listener)).send({})).status, 204);
      assert.equal((await local.request().post(hookPath(listener)).send({})).status, 429);
      const localText = (await local.request().get('/metrics')).text;
      assert.equal(sample(localText, 'hookport_rate_limited_total', { listener: listener.id, scope: 'instance' }), 1);
      assert.equal(sample(localText, 'hookport_rate_limited_total', { listener: listener.id, scope: 'listener' }), undefined);
    } finally {
      await local.close();
    }
  });

  it('asks for an API key when metrics.requireApiKey is set', async () => {
    const local = await createHarness({ overrides: { metrics: { requireApiKey: true } } });
    try {
      const refused = await local.request().get('/metrics');
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'ERR_AUTH_REQUIRED');
      const support = await local.keyFor('support');
      const allowed = await local.request().get('/metrics').set('Authorization', `Bearer ${support}`);
      assert.equal(allowed.status, 200);
      assert.ok(allowed.text.includes('hookport_requests_total'));
    } finally {
      await local.close();
    }
  });
});
