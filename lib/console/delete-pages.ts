/**
 * Deleting from the console is two steps for every resource: a confirmation
 * page (GET …/:id/delete) and its form (POST …/:id/delete), which calls the
 * API's DELETE route as the signed-in key.
 */
import type { Router } from 'express';
import type { ConsoleKit } from './kit';

export interface Deletable {
  /** The API's plural, also the console's path, e.g. `imports`. */
  plural: string;
  noun: string;
  /** What deleting it does, shown on the confirmation page. */
  consequence: string;
  /** Where Cancel goes (default: the item's page). */
  cancel?: (id: string) => string;
}

export function addDeletePages(router: Router, kit: ConsoleKit, resource: Deletable): void {
  const { plural, noun } = resource;
  const apiPath = `/${plural}/:id`;
  router.get(`/${plural}/:id/delete`, async (req, res) => {
    kit.require(req, 'delete', apiPath);
    const id = String(req.params.id);
    const item = await kit.api(req, 'get', apiPath, { params: { id } });
    kit.render(req, res, 'confirm-delete', {
      title: `Delete ${item.name}`, what: noun, name: item.name, action: `/${plural}/${id}/delete`,
      cancel: resource.cancel?.(id) ?? `/${plural}/${id}`, consequence: resource.consequence,
    });
  });
  router.post(`/${plural}/:id/delete`, async (req, res) => {
    const id = String(req.params.id);
    const item = await kit.api(req, 'get', apiPath, { params: { id } });
    await kit.api(req, 'delete', apiPath, { params: { id } });
    kit.flash(req, 'ok', `${noun[0]!.toUpperCase()}${noun.slice(1)} ${item.name} deleted.`);
    kit.redirect(res, `/${plural}`);
  });
}
