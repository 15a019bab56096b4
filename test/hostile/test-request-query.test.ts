/**
 * Finding 12 of #11: POST /api/v1/listeners/{id}/test-request with control
 * characters in `query` answered 500 (ERR_UNESCAPED_CHARACTERS from Node's HTTP
 * client). Control characters are a 400 naming /query; other characters a query
 * may not hold are percent-encoded.
 */
import assert from 'node:assert/strict';
import { createHarness, createListener, type Harness } from '../helpers/harness';

describe('hostile: test-request query and headers', () => {
  let h: Harness;
  let listener: { id: string };
  before(async () => {
    h = await createHarness();
    listener = await createListener(h, {});
  });
  after(() => h.close());

  it('answers 400 naming /query for control characters, never 500', async () => {
    const response = await h.api().post(`/listeners/${listener.id}/test-request`, { query: '\u00d4\u008f\bcS\u001a\u00b8', method: 'POST', body: 'x' });
    assert.equal(response.status, 400, JSON.stringify(response.body));
    assert.equal(response.body.errors[0].path, '/query');
  });

  it('percent-encodes spaces and non-ASCII characters and sends the request', async () => {
    const response = await h.api().post(`/listeners/${listener.id}/test-request`, { query: 'name=Zoë Smith&x=%41&bad=%zz', method: 'POST', body: { id: 1 } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const [job] = await h.services.store.readJobs(listener.id, 0, 10);
    assert.deepEqual(job!.meta.query, { name: 'Zoë Smith', x: 'A', bad: '%zz' });
  });

  it('answers 400 for a header value with a control character', async () => {
    const response = await h.api().post(`/listeners/${listener.id}/test-request`, { headers: { 'X-Note': 'a\u0007b' }, body: { id: 1 } });
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/headers/X-Note');
  });
});
