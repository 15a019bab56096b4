/**
 * Finding 6 of #11: a body-path token was accepted from a GET's query
 * (`GET /hooks/{id}?myAuth[token]=T` for `location: {in: "body"}`) and stored in
 * clear in the job's `meta.query`. A body token is read from the body only, and
 * no credential is stored in job meta.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, hookPath, type Harness } from '../helpers/harness';

const TOKEN = 'body-token-0123456789';

describe('hostile: a body token in the query', () => {
  let h: Harness;
  let listener: { id: string };
  before(async () => {
    h = await createHarness();
    listener = await createListener(h, { verification: { type: 'token', tokens: [TOKEN], location: { in: 'body', path: 'myAuth.token' } } });
  });
  after(() => h.close());

  it('refuses a GET whose query carries the body token, and stores nothing', async () => {
    const response = await h.request().get(`${hookPath(listener)}?myAuth[token]=${TOKEN}&order=1`);
    assert.equal(response.status, 401);
    assert.equal((await h.services.store.readJobs(listener.id, 0, 10)).length, 0);
  });

  it('accepts the token in the body, and masks a copy of it in the query before the job is stored', async () => {
    const response = await h.request().post(`${hookPath(listener)}?myAuth[token]=${TOKEN}&order=1`).send({ myAuth: { token: TOKEN }, id: 1 });
    assert.equal(response.status, 204);
    const [job] = await h.services.store.readJobs(listener.id, 0, 10);
    assert.ok(!JSON.stringify(job).includes(TOKEN), JSON.stringify(job.meta));
    assert.equal((job!.meta.query as Record<string, unknown>).order, '1');
  });
});
