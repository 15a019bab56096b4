import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../helpers/harness';
import { toOpenApiPath } from '../../lib/admin/openapi';

/** Walks Express 5's router stack for the routes mounted under /api/v1. */
function servedRoutes(h: Harness): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const appRouter = (h.app.express as any).router;
  for (const layer of appRouter.stack) {
    // Only the router mounted at /api/v1 (the console has its own, at /console).
    if (!layer.handle?.stack || layer.name !== 'router' || !layer.match('/api/v1/openapi.json')) continue;
    for (const inner of layer.handle.stack) {
      if (!inner.route) continue;
      for (const method of Object.keys(inner.route.methods)) routes.push({ method, path: toOpenApiPath(inner.route.path) });
    }
  }
  return routes;
}

describe('OpenAPI document', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('is served without a key as OpenAPI 3.1', async () => {
    const response = await h.request().get('/api/v1/openapi.json');
    assert.equal(response.status, 200);
    assert.equal(response.body.openapi, '3.1.0');
  });

  it('documents every route the server registers', async () => {
    const document = (await h.request().get('/api/v1/openapi.json')).body;
    const served = servedRoutes(h);
    assert.ok(served.length > 15, `found only ${served.length} routes`);
    for (const route of served) {
      assert.ok(document.paths[route.path]?.[route.method], `${route.method.toUpperCase()} ${route.path} is served but not documented`);
    }
  });

  it('serves every path and method it documents (never 404 "route not found")', async () => {
    const document = (await h.request().get('/api/v1/openapi.json')).body;
    let checked = 0;
    for (const [path, methods] of Object.entries<Record<string, unknown>>(document.paths)) {
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{[^}]+\}/g, 'a'.repeat(32));
        const response = await (h.request() as any)[method](url).set('Authorization', `Bearer ${h.adminKey}`).send({});
        assert.notEqual(response.body?.code, 'ERR_ROUTE_NOT_FOUND', `${method.toUpperCase()} ${path} is documented but not served`);
        checked++;
      }
    }
    assert.ok(checked > 15);
  });

  it('answers an undocumented route with 404 problem+json', async () => {
    const response = await h.api().get('/nothing-here');
    assert.equal(response.status, 404);
    assert.equal(response.body.code, 'ERR_ROUTE_NOT_FOUND');
  });
});
