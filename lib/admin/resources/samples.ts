import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors';
import type { ListenerService } from '../../listeners/listener-service';
import type { Store } from '../../store/store';
import { ALL_ROLES, type AdminRoutes } from '../routes';

export const SampleSchema = Type.Object({
  body: Type.Unknown({ description: 'the parsed body of the last accepted request' }),
  headers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
    description: 'its headers; credentials and signatures are masked',
  }),
  receivedAt: Type.String({ format: 'date-time' }),
  contentType: Type.Union([Type.String(), Type.Null()]),
});

export function addSampleReadRoute(routes: AdminRoutes, listeners: ListenerService, store: Store): void {
  routes.add(
    { method: 'get', path: '/listeners/:id/sample', tag: 'listeners', summary: "The listener's sample: the last accepted request's parsed body and headers",
      roles: ALL_ROLES, response: { status: 200, schema: SampleSchema }, errors: [404] },
    async (req) => {
      const id = String(req.params.id);
      await listeners.getState(id);
      const sample = await store.getSample(id);
      if (!sample) throw new AppError('ERR_NOT_FOUND', 'this listener has no sample yet: send it a webhook, or PUT one');
      return sample;
    },
  );
}
