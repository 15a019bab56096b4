/**
 * Shared listeners routed by uid (Make's shared webhooks: the partner sends
 * every tenant's notifications to one URL). A listener with
 * `routing: { uid: "{{body.account.id}}" }` renders the template per request
 * and looks the value up among the connections' `uid`s (an indexed store
 * lookup). A match routes the job to the flows whose imports use that
 * connection, and to flows whose imports use no tenant connection at all
 * (they receive everything); the flow worker skips jobs routed to another
 * tenant (lib/flows/tenant-routing.ts). No match: the request is unrouted,
 * answered with the success response and queued to no flow.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { RuntimeListener } from './runtime-listener';
import type { RequestContext } from './request-context';

/** Where a routed job goes; kept in the job's `meta.route`. */
export interface Route {
  uid: string;
  connectionId: string;
}

/** Finds the connection that holds a uid. */
export interface UidLookup {
  connectionIdForUid(uid: string): Promise<string | undefined>;
}

export interface RoutingSubject {
  body: unknown;
  headers: IncomingHttpHeaders;
  query: unknown;
  method: string;
}

/**
 * The request's route, or undefined when it is unrouted: the uid renders empty,
 * its template fails on this request (a helper that throws), or it names no
 * connection. Only for listeners with `routing`.
 */
export async function routeRequest(listener: RuntimeListener, lookup: UidLookup, subject: RoutingSubject): Promise<Route | undefined> {
  let uid: string;
  try {
    uid = listener.routingUid!(subject).trim();
  } catch {
    return undefined;
  }
  if (uid === '') return undefined;
  const connectionId = await lookup.connectionIdForUid(uid);
  return connectionId === undefined ? undefined : { uid, connectionId };
}

export interface Routing {
  /** True when a shared listener found no tenant for this request: answered, queued to no flow. */
  unrouted: boolean;
  /** The tenant route, for a shared listener that found one. */
  route: Route | undefined;
}

/** The routing stage: a shared listener's tenant (a listener without `routing` is never unrouted). */
export async function routeStage(context: RequestContext, body: unknown, lookup: UidLookup): Promise<Routing> {
  const { listener, req } = context;
  if (!listener.routingUid) return { unrouted: false, route: undefined };
  const route = await routeRequest(listener, lookup, { body, headers: req.headers, query: context.query, method: req.method! });
  return { unrouted: route === undefined, route };
}
