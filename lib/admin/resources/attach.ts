import type { ListenerService } from '../../listeners/listener-service';
import { WRITERS, type AdminRoutes } from '../routes';
import { ListenerViewSchema } from '../views';

/** `POST /listeners/{id}/attach`: registers an attached webhook again after a failure (issue 14). */
export function addAttachRoute(routes: AdminRoutes, listeners: ListenerService): void {
  routes.add(
    { method: 'post', path: '/listeners/:id/attach', tag: 'listeners', roles: WRITERS,
      summary: 'Register the listener with its partner again (attach); 502 with the partner’s answer when it refuses',
      response: { status: 200, schema: ListenerViewSchema }, errors: [404, 409, 502] },
    (req) => listeners.attach(String(req.params.id)),
  );
}
