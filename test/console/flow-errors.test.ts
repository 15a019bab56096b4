import assert from 'node:assert/strict';
import { ok, startDestination, type Destination, type Replier } from '../flows/destinations';
import { createFlow, createImport, deliveryHarness, drained, noneListener, sendHook, until, type DeliveryHarness } from '../flows/delivery-setup';
import { consoleAgent, type ConsoleAgent } from './agent';

/** The destination refuses everything until the test makes it answer `ok`. */
const refuseAll: Replier = () => ({ status: 400, body: 'no' });

describe('console flow errors and listener deletion', () => {
  let h: DeliveryHarness;
  let dest: Destination;
  let integrator: ConsoleAgent;
  beforeEach(async () => {
    h = await deliveryHarness();
    dest = await startDestination(refuseAll);
    integrator = await consoleAgent(h.app, await h.keyFor('integrator'));
  });
  afterEach(async () => {
    await dest.close();
    await h.close();
  });

  async function flowWithErrors(count: number) {
    const listener = await noneListener(h);
    const flow = await createFlow(h, listener.id, [(await createImport(h, { url: dest.url })).id]);
    for (let id = 1; id <= count; id += 1) await sendHook(h, listener, { id });
    await drained(h, flow.id);
    return { listener, flow };
  }
  const open = async (flowId: string) => (await h.api().get(`/flows/${flowId}/errors`)).body.items as any[];

  it('lists open errors, resolves one by hand and resends the rest with "retry all"', async () => {
    const { flow } = await flowWithErrors(3);
    const page = await integrator.page(`/console/flows/${flow.id}`);
    assert.equal(page.text.match(/data-testid="error-row"/g)?.length, 3);
    assert.match(page.text, /the destination answered 400/);
    const [first] = await open(flow.id);
    assert.equal((await integrator.submit(`/console/flows/${flow.id}/errors/${first.id}/resolve`)).status, 303);
    assert.equal((await open(flow.id)).length, 2);
    dest.setReply(ok);
    assert.equal((await integrator.submit(`/console/flows/${flow.id}/errors/retry`)).status, 303);
    assert.match((await integrator.page(`/console/flows/${flow.id}`)).text, /Resubmitted 2 error\(s\)\./);
    await until(h, async () => (await open(flow.id)).length === 0);
    assert.match((await integrator.page(`/console/flows/${flow.id}`)).text, /data-testid="no-errors"/);
  });

  it('deletes a listener only through its confirmation page', async () => {
    const listener = await noneListener(h);
    const confirm = await integrator.page(`/console/listeners/${listener.id}/delete`);
    assert.equal(confirm.status, 200);
    assert.match(confirm.text, /Delete listener “test listener”\?/);
    assert.match(confirm.text, /answer 410 Gone/);
    assert.equal((await integrator.submit(`/console/listeners/${listener.id}/delete`)).status, 303);
    assert.equal((await h.api().get(`/listeners/${listener.id}`)).status, 404);
    assert.equal((await h.request().post(`/hooks/${listener.id}`).send({})).status, 410);
  });
});
