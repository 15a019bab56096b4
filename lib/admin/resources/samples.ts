import { Type } from '@sinclair/typebox';
import { AppError } from '../../errors';
import type { ListenerService } from '../../listeners/listener-service';
import type { Store } from '../../store/store';
import type { ListenerRegistry } from '../../ingest/listener-registry';
import { sampleView } from '../../structure/sample-view';
import { ALL_ROLES, type AdminRoutes } from '../routes';

export const SampleSchema = Type.Object({
  body: Type.Unknown({ description: 'the parsed body of the last accepted request' }),
  headers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
    description: 'its headers; credentials and signatures are masked',
  }),
  receivedAt: Type.String({ format: 'date-time' }),
  contentType: Type.Union([Type.String(), Type.Null()]),
  records: Type.Optional(Type.Array(Type.Unknown(), { description: 'the records flows would receive from this sample (resourcePath, records.filter and records.output applied)' })),
  mappingErrors: Type.Optional(Type.Array(Type.Object({ index: Type.Integer(), traceKey: Type.String(), message: Type.String() }), {
    description: 'records of the sample whose records.output mapping fails',
  })),
});

export function addSampleReadRoute(routes: AdminRoutes, listeners: ListenerService, store: Store, registry: ListenerRegistry): void {
  routes.add(
    { method: 'get', path: '/listeners/:id/sample', tag: 'listeners', summary: "The listener's sample: the last accepted request's parsed body and headers",
      roles: ALL_ROLES, response: { status: 200, schema: SampleSchema }, errors: [404] },
    async (req) => {
      const id = String(req.params.id);
      await listeners.getState(id);
      const sample = await store.getSample(id);
      if (!sample) throw new AppError('ERR_NOT_FOUND', 'this listener has no sample yet: send it a webhook, or PUT one');
      return sampleView(await registry.find(id), sample);
    },
  );
}
