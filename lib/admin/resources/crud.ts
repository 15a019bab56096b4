/**
 * The five routes every configurable resource has (create, list, read, patch,
 * delete), declared once so listeners, imports and flows behave alike.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { ListOptions, ListPage } from '../../store/store';
import { ALL_ROLES, WRITERS, type AdminRoutes } from '../routes';
import { listOptions, ListQuerySchema, listPageSchema } from '../list-query';

export interface ResourceService {
  create(input: unknown): Promise<unknown>;
  list(options: ListOptions): Promise<ListPage<unknown>>;
  get(id: string): Promise<unknown>;
  update(id: string, patch: Record<string, unknown>): Promise<unknown>;
  delete(id: string): Promise<void>;
}

export interface ResourceRoutes {
  /** Plural path and OpenAPI tag, e.g. `listeners`. */
  plural: string;
  /** Singular noun for summaries, e.g. `listener`. */
  noun: string;
  service: ResourceService;
  createSchema: TSchema;
  /** See RouteSpec.prepareBody: applied to the create body before `createSchema` checks it. */
  prepareCreate?: (body: unknown) => unknown;
  viewSchema: ReturnType<typeof Type.Object> | ReturnType<typeof Type.Any>;
  /** Extra statuses each route may answer, beyond 400/401/403. */
  createErrors?: number[];
  patchSummary?: string;
  patchErrors?: number[];
  deleteSummary?: string;
  deleteErrors?: number[];
}

/** PATCH bodies: any subset of the fields, merged as an RFC 7396 merge patch, then validated whole. */
const MergePatchSchema = Type.Object({}, { additionalProperties: true, description: 'fields to change (JSON merge patch)' });

export function addResourceRoutes(routes: AdminRoutes, resource: ResourceRoutes): void {
  const { plural, noun, service, viewSchema } = resource;
  const tag = plural;
  routes.add(
    { method: 'post', path: `/${plural}`, tag, summary: `Create a ${noun}`, roles: WRITERS, body: resource.createSchema, prepareBody: resource.prepareCreate,
      response: { status: 201, schema: viewSchema }, errors: resource.createErrors ?? [] },
    (req) => service.create(req.body),
  );
  routes.add(
    { method: 'get', path: `/${plural}`, tag, summary: `List ${plural}`, roles: ALL_ROLES, query: ListQuerySchema,
      response: { status: 200, schema: listPageSchema(viewSchema) } },
    (req) => service.list(listOptions(req)),
  );
  routes.add(
    { method: 'get', path: `/${plural}/:id`, tag, summary: `Read a ${noun}`, roles: ALL_ROLES,
      response: { status: 200, schema: viewSchema }, errors: [404] },
    (req) => service.get(String(req.params.id)),
  );
  routes.add(
    { method: 'patch', path: `/${plural}/:id`, tag, summary: resource.patchSummary ?? `Change a ${noun}`, roles: WRITERS,
      body: MergePatchSchema, response: { status: 200, schema: viewSchema }, errors: [404, 409, ...(resource.patchErrors ?? [])] },
    (req) => service.update(String(req.params.id), req.body),
  );
  routes.add(
    { method: 'delete', path: `/${plural}/:id`, tag, summary: resource.deleteSummary ?? `Delete a ${noun}`, roles: WRITERS,
      response: { status: 204, description: 'Deleted' }, errors: [404, ...(resource.deleteErrors ?? [])] },
    async (req) => {
      await service.delete(String(req.params.id));
    },
  );
}
