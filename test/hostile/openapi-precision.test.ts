/**
 * Finding 11 of #11: the API must match its OpenAPI document. schemathesis
 * (`--checks all`, run by .ci/schemathesis.sh) found schema-valid requests
 * rejected (the verifier type enum and the cursor format were not described) and
 * undeclared methods answered 404 instead of 405. These are the same facts,
 * checked without Python.
 */
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../helpers/harness';

describe('hostile: the admin API and its OpenAPI document', () => {
  let h: Harness;
  let document: any;
  before(async () => {
    h = await createHarness();
    document = (await h.request().get('/api/v1/openapi.json')).body;
  });
  after(() => h.close());

  it('answers an undeclared method on a declared path with 405 and Allow listing the declared ones', async () => {
    const cases: Array<[string, string, string]> = [
      ['TRACE', '/api/v1/listeners', 'GET, POST'],
      ['PUT', '/api/v1/listeners/abc', 'DELETE, GET, PATCH'],
      ['DELETE', '/api/v1/openapi.json', 'GET'],
      ['OPTIONS', '/api/v1/flows/abc/errors/retry', 'POST'],
      // The literal path wins over `/flows/{id}/errors/{errorId}`: not a lookup of an error named "retry".
      ['GET', '/api/v1/flows/abc/errors/retry', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const response = await h.request()[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${h.adminKey}`);
      assert.equal(response.status, 405, `${method} ${path}`);
      assert.equal(response.headers.allow, allow, `${method} ${path}`);
      const declared = Object.keys(document.paths[path.replace(/abc/, '{id}')]).map((m) => m.toUpperCase()).sort().join(', ');
      assert.equal(declared, allow, 'Allow says what the document says');
    }
    assert.equal((await h.request().get('/api/v1/no-such-thing').set('Authorization', `Bearer ${h.adminKey}`)).status, 404);
    assert.equal((await h.request().head('/api/v1/listeners').set('Authorization', `Bearer ${h.adminKey}`)).status, 200, 'HEAD is served by the GET route');
  });

  it('describes the verifier types, the cursor format, header values, and leaves defaulted fields optional', () => {
    const listener = document.paths['/api/v1/listeners'].post.requestBody.content['application/json'].schema;
    assert.deepEqual(listener.properties.verification.properties.type.enum.slice(0, 6), ['none', 'basic', 'hmac', 'secret_url', 'token', 'preset']);
    assert.deepEqual(listener.required, ['name'], 'every other field has a default');
    const after = document.paths['/api/v1/listeners'].get.parameters.find((p: { name: string }) => p.name === 'after');
    assert.equal(after.schema.pattern, '^[A-Za-z0-9_-]+$');
    const imp = document.paths['/api/v1/imports'].post.requestBody.content['application/json'].schema;
    assert.ok(imp.properties.headers.anyOf[0].items.properties.value.pattern, 'a list of { name, value }');
    assert.equal(imp.properties.headers.anyOf[1].type, 'object', 'or an object of name to value');
    assert.ok(document.paths['/api/v1/listeners'].post.responses['429'] && document.paths['/api/v1/listeners'].post.responses['413']);
  });

  it('refuses an empty cursor instead of ignoring it', async () => {
    const response = await h.api().get('/listeners?after=');
    assert.equal(response.status, 400);
    assert.equal(response.body.errors[0].path, '/query/after');
  });
});
