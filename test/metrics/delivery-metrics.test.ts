import assert from 'node:assert/strict';
import { startDestination, type Destination, type Replier } from '../flows/destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, type DeliveryHarness } from '../flows/delivery-setup';

/** 400 for a record marked bad, 200 otherwise: a failure that is not retried. */
const refuseBad: Replier = (request) => {
  const records = Array.isArray(request.json) ? request.json : [request.json];
  return records.some((record: any) => record?.bad) ? { status: 400, body: 'bad record' } : { status: 200, body: 'ok' };
};

describe('/metrics and the delivery engine', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  before(async () => {
    h = await deliveryHarness();
    dest = await startDestination(refuseBad);
  });
  after(async () => {
    await dest.close();
    await h.close();
  });

  it('counts real deliveries and failures by import and flow', async () => {
    const listener = await noneListener(h);
    const imported = await createImport(h, { url: `${dest.url}/orders`, retry: { attempts: 0, maxSeconds: 1 } });
    const flow = await createFlow(h, listener.id, [imported.id]);
    for (const body of [{ n: 1 }, { n: 2, bad: true }, { n: 3 }]) assert.equal((await sendHook(h, listener, body)).status, 204);
    await drained(h, flow.id);
    const text = (await h.request().get('/metrics')).text;
    assert.ok(text.includes(`hookport_deliveries_total{import="${imported.id}",flow="${flow.id}",result="success"} 2`), text);
    assert.ok(text.includes(`hookport_deliveries_total{import="${imported.id}",flow="${flow.id}",result="failure"} 1`), text);
    assert.ok(text.includes(`hookport_queue_depth{flow="${flow.id}"} 0`));
  });
});
