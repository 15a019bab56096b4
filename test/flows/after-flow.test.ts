import assert from 'node:assert/strict';
import { badRequest, startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

describe('response mode afterFlow', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination((request) => ({
      status: 201,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ erpId: `ERP-${(request.json as any[])[0].id}` }),
    }));
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  async function afterFlowListener(timeoutSeconds = 40) {
    return noneListener(h, {
      response: {
        mode: 'afterFlow', status: 200, timeoutSeconds,
        body: { erp: '{{imports.0.body.erpId}}', status: '{{imports.0.status}}', name: '{{imports.0.name}}', records: '{{recordCount}}' },
      },
    });
  }

  it('answers with the template over each import’s response once every flow passed the job', async () => {
    const listener = await afterFlowListener();
    const other = await startDestination();
    try {
      const flow = await createFlow(h, listener.id, [(await createImport(h, { name: 'ERP', url: dest.url })).id]);
      h.clock.advance(1); // flows are listed by creation time: make this one later
      const second = await createFlow(h, listener.id, [(await createImport(h, { name: 'audit', url: other.url })).id]);
      const response = await sendHook(h, listener, { id: 42 });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { erp: 'ERP-42', status: '201', name: 'ERP', records: '1' });
      assert.equal(dest.received.length, 1);
      assert.equal(other.received.length, 1, 'the response waited for the second flow too');
      await drained(h, flow.id);
      await drained(h, second.id);
    } finally {
      await other.close();
    }
  });

  it('answers 500 "Flow failed to complete." when an import fails for the job', async () => {
    dest.setReply(badRequest);
    const listener = await afterFlowListener();
    await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    const response = await sendHook(h, listener, { id: 1 });
    assert.equal(response.status, 500);
    assert.equal(response.body.title, 'Flow failed to complete.');
    assert.equal(response.headers['content-type'], 'application/problem+json');
  });

  it('answers 202 Accepted when the flows take longer than timeoutSeconds, and the job still completes', async () => {
    const listener = await afterFlowListener(5);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id], { enabled: false });
    const pending = sendHook(h, listener, { id: 7 }).then((r) => r);
    const wait = await h.scheduler.advanceToNext('afterFlow');
    assert.equal(wait.ms, 5000);
    const response = await pending;
    assert.equal(response.status, 202);
    assert.equal(response.body.status, 'Accepted');
    assert.equal(dest.received.length, 0);
    await h.api().patch(`/flows/${flow.id}`, { enabled: true });
    await dest.waitFor(1);
    assert.deepEqual(dest.received[0]!.json, [{ id: 7 }]);
  });

  it('answers a duplicate with what the original was actually answered after its flows ran', async () => {
    const listener = await noneListener(h, {
      dedup: { key: 'jsonpath:$.id', windowSeconds: 3600 },
      response: { mode: 'afterFlow', status: 200, body: { erp: '{{imports.0.body.erpId}}' } },
    });
    await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    const first = await sendHook(h, listener, { id: 77 });
    assert.deepEqual(first.body, { erp: 'ERP-77' });
    const again = await sendHook(h, listener, { id: 77 });
    assert.equal(again.status, 200);
    assert.equal(again.headers['hookport-duplicate'], 'true');
    assert.deepEqual(again.body, { erp: 'ERP-77' });
    assert.equal(dest.received.length, 1, 'the duplicate was not delivered again');
  });

  it('answers at once when the listener has no flow', async () => {
    const listener = await afterFlowListener();
    const response = await sendHook(h, listener, { id: 1 });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { erp: '', status: '', name: '', records: '1' });
  });

  it('warns on a listener answering afterFlow without a dedup key, not when dedup or a preset brings one', async () => {
    const warned: any = await afterFlowListener();
    assert.ok(warned.warnings.some((w: string) => /afterFlow" without dedup/.test(w)), JSON.stringify(warned.warnings));
    const deduped: any = await noneListener(h, { response: { mode: 'afterFlow' }, dedup: { key: 'header:X-Delivery-Id' } });
    assert.equal(deduped.warnings.some((w: string) => /without dedup/.test(w)), false);
    const github: any = await noneListener(h, { response: { mode: 'afterFlow' }, verification: { type: 'preset', provider: 'github', secrets: ['gh-secret-0123456789'] } });
    assert.equal(github.warnings, undefined, 'GitHub brings X-GitHub-Delivery');
    const immediate: any = await noneListener(h, {});
    assert.equal(immediate.warnings.some((w: string) => /without dedup/.test(w)), false);
  });
});
