/**
 * `POST /listeners/{id}/test-request` (SPEC §10): a request signed as the
 * partner would sign it, sent to the listener over HTTP; the reply shows what
 * was sent (secrets masked) and what came back. The work is in
 * lib/listeners/test-request.ts.
 */
import { Type } from '@sinclair/typebox';
import type { ListenerService } from '../../listeners/listener-service';
import { runTestRequest, selfTarget, type TestRequestInput } from '../../listeners/test-request';
import type { Store } from '../../store/store';
import { WRITERS, type AdminRoutes } from '../routes';

const TestRequestBodySchema = Type.Object(
  {
    method: Type.Optional(Type.Union(['POST', 'PUT', 'PATCH', 'GET'].map((method) => Type.Literal(method)), { description: 'default POST' })),
    body: Type.Optional(
      Type.Unknown({
        description:
          'a string is sent as is; anything else as JSON (or as a form when contentType is application/x-www-form-urlencoded). Default: the listener\'s sample body, else {"test":true}',
      }),
    ),
    contentType: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'default application/json (or the sample\'s)' })),
    headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'extra headers the partner would send, e.g. X-GitHub-Event' })),
    query: Type.Optional(Type.String({ maxLength: 8192, description: 'query string, e.g. a=1&b=2' })),
  },
  { additionalProperties: false },
);

const TestRequestReplySchema = Type.Object({
  request: Type.Object(
    {
      method: Type.String(),
      url: Type.String({ description: 'the listener URL called; a secret segment or token is shown as ****' }),
      headers: Type.Record(Type.String(), Type.String(), { description: 'as sent; credential and signature headers are ****' }),
      body: Type.String({ description: 'as sent; a token in the body is ****' }),
    },
    { description: 'what was sent' },
  ),
  response: Type.Object(
    {
      status: Type.Integer(),
      headers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
      body: Type.Unknown({ description: 'parsed when JSON, text otherwise, null when empty' }),
    },
    { description: 'what the listener answered' },
  ),
});

export function addTestRequestRoute(routes: AdminRoutes, listeners: ListenerService, store: Store): void {
  routes.add(
    { method: 'post', path: '/listeners/:id/test-request', tag: 'listeners',
      summary: "Send the listener a request signed as its partner would sign it; reply with what was sent and what came back",
      roles: WRITERS, body: TestRequestBodySchema, response: { status: 200, schema: TestRequestReplySchema }, errors: [404, 422] },
    async (req) => {
      const id = String(req.params.id);
      const state = await listeners.getState(id);
      const input = req.body as TestRequestInput;
      const sample = input.body === undefined && input.method !== 'GET' ? await store.getSample(id) : null;
      return runTestRequest(input, {
        state,
        sample,
        now: listeners.clock.now(),
        baseUrl: `${listeners.publicUrl}/hooks/${id}`,
        // The request goes to the address this admin request came in on: this very server.
        target: selfTarget(req.socket.localAddress, req.socket.localPort),
      });
    },
  );
}
