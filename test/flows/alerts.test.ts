import assert from 'node:assert/strict';
import { badRequest, startDestination, type Destination } from './destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from './delivery-setup';

describe('error alerts', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  let chat: Destination;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination(badRequest);
    chat = await startDestination();
  });
  afterEach(async () => {
    await dest.close();
    await chat.close();
    await h.close();
  });

  async function alertingFlow(minIntervalSeconds = 300) {
    const listener = await noneListener(h);
    const erp = await createImport(h, { name: 'ERP orders', url: dest.url });
    const slack = await createImport(h, { name: 'ops chat', url: chat.url, bodyTemplate: '{"text": {{json records.[0].text}} }' });
    const flow = await createFlow(h, listener.id, [erp.id], { name: 'Orders to ERP', alert: { importId: slack.id, minIntervalSeconds } });
    return { listener, erp, slack, flow };
  }

  /** Sends one failing webhook and waits until its alert was sent or left out. */
  async function failOnce(listener: { id: string }, flowId: string, id: number): Promise<string> {
    const outcome = new Promise<string>((resolve) => h.services.delivery.events.subscribe({ alerted: (_flow, result) => resolve(result) }));
    await sendHook(h, listener, { id });
    await drained(h, flowId);
    return outcome;
  }

  it('announces a new error through the alert import, templated, without the failed body', async () => {
    const { listener, erp, flow } = await alertingFlow();
    assert.deepEqual(flow.alert, { importId: flow.alert.importId, minIntervalSeconds: 300 });
    assert.equal(await failOnce(listener, flow.id, 1), 'sent');
    const [alert] = await chat.waitFor(1);
    const [error] = (await h.api().get(`/flows/${flow.id}/errors`)).body.items;
    assert.equal(
      (alert!.json as any).text,
      `hookport: delivery to "ERP orders" in flow "Orders to ERP" failed: http 400 after 1 attempt; job ${error.jobId}, page 0, error ${error.id}`,
    );
    assert.equal(alert!.body.includes('invalid order'), false, "the destination's answer is not in the alert");
    assert.equal(error.importId, erp.id);
  });

  it('sends at most one alert per interval and counts the errors left out into the next', async () => {
    const { listener, flow } = await alertingFlow(600);
    assert.equal(await failOnce(listener, flow.id, 1), 'sent');
    assert.equal(await failOnce(listener, flow.id, 2), 'suppressed');
    assert.equal(await failOnce(listener, flow.id, 3), 'suppressed');
    h.clock.advanceSeconds(600);
    assert.equal(await failOnce(listener, flow.id, 4), 'sent');
    await chat.waitFor(2);
    assert.match((chat.received[1]!.json as any).text, /\(2 more errors since the last alert\)$/);
    const metrics = await h.request().get('/metrics');
    assert.match(metrics.text, new RegExp(`hookport_alerts_total\\{flow="${flow.id}",result="suppressed"\\} 2`));
    assert.match(metrics.text, new RegExp(`hookport_alerts_total\\{flow="${flow.id}",result="sent"\\} 2`));
  });

  it('keeps delivering when the alert import fails, and counts the failed alert', async () => {
    chat.setReply(() => ({ status: 500, body: 'chat down' }));
    const { listener, flow } = await alertingFlow();
    assert.equal(await failOnce(listener, flow.id, 1), 'failed');
    assert.equal((await h.api().get(`/flows/${flow.id}`)).body.queueDepth, 0);
  });

  it('refuses an alert import that does not exist, and the deletion of one in use', async () => {
    const listener = await noneListener(h);
    const erp = await createImport(h, { url: dest.url });
    const missing = await h.api().post('/flows', { name: 'f', listenerId: listener.id, imports: [erp.id], alert: { importId: 'z'.repeat(32) } });
    assert.equal(missing.status, 422);
    assert.match(JSON.stringify(missing.body), /\/alert\/importId/);
    const { slack } = await alertingFlow();
    assert.equal((await h.api().delete(`/imports/${slack.id}`)).status, 409);
  });
});
