/**
 * The hot path, from socket to store (SPEC §3). `handle()` is the list of
 * stages in the order of the spec's table; each stage is a function in its own
 * file that takes what it needs and returns its result (or throws its refusal),
 * and reaches back into no earlier stage. `IngestRun` records each result for
 * the observers (debug capture, metrics, status), which see every request,
 * rejected ones included, after its response is written.
 *
 * The 2xx is written only after acceptJob resolves, i.e. after the job's
 * transaction committed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import { acceptJob, type AfterFlowWaiter } from './accept';
import { prepareJob } from './build-job';
import { findDuplicate } from './dedup';
import type { IngestObserver } from './exchange';
import { passesFilter } from './filter-stage';
import { checkAccepts, findListener } from './find-listener';
import { answerHandshake, type SecretCapture } from './handshake-stage';
import { IngestRun } from './ingest-run';
import type { BucketMap, LeakyBucket } from './leaky-bucket';
import type { ListenerRegistry } from './listener-registry';
import { parse } from './parse-stage';
import { applyLimits } from './rate-limit';
import { readRequest } from './request-context';
import { routeStage, type UidLookup } from './route-stage';
import { duplicateReply, filteredReply, renderSuccess, respondAccepted, type ResponseContext } from './respond';
import { sampleOf, type SampleKeeper } from './sample-keeper';
import { validate } from './validate-stage';
import { checkAllowIps, verifyRequest } from './verify-stage';

export type { AfterFlowWaiter } from './accept';

export interface IngestDeps {
  registry: ListenerRegistry;
  store: Store;
  clock: Clock;
  publicUrl: string;
  /** Stores a secret a handshake handed over (Asana); false when the listener already had one. */
  captureSecret?: SecretCapture;
  /** The scheme and host the partner called (caller-url.ts); `publicUrl` when absent. */
  callerBaseUrl?: (req: IncomingMessage) => string;
  instanceBucket: LeakyBucket;
  instanceCapacity: number;
  buckets: BucketMap;
  observers: IngestObserver[];
  logger: Logger;
  afterFlow?: AfterFlowWaiter;
  samples: SampleKeeper;
  /** Shared listeners look tenant uids up here (the connections). */
  uids: UidLookup;
}

export type IngestHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => void;

export function createIngestHandler(deps: IngestDeps): IngestHandler {
  return (req, res, requestId) => {
    void handle(deps, req, res, requestId);
  };
}

async function handle(deps: IngestDeps, req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
  const run = new IngestRun(req, res, requestId, deps.clock.now());
  const { receivedAt } = run;
  try {
    const found = run.found(await findListener(deps.registry, req.url!)); //                     404
    checkAccepts(found, req); //                                                                 410, 404, 405
    const { listener } = found;
    run.limited(applyLimits(deps.instanceBucket, deps.instanceCapacity, deps.buckets, listener)); // 429
    const request = run.read(await readRequest(req, found, deps.callerBaseUrl?.(req) ?? deps.publicUrl, () => deps.clock.now())); // 413
    run.verified(request, checkAllowIps(request)); //                                            401 allowIps
    const handshake = await answerHandshake(request, deps.captureSecret);//                                         rule's response
    if (handshake) return run.reply(handshake);
    run.verified(request, await verifyRequest(request)); //                                      401
    const body = run.parsed(await parse(request)); //                                            415, 400
    validate(listener, body); //                                                                 400
    const dedup = await findDuplicate(deps.store, request, body, receivedAt); //                 original answer
    if (dedup.original) return run.reply(duplicateReply(dedup.original));
    const respondTo: ResponseContext = { body, headers: req.headers, query: request.query, method: req.method!, records: [], recordCount: 0, traceKeys: [], requestId };
    if (!passesFilter(request, body)) return run.reply(filteredReply(listener, respondTo)); //   filtered
    const routing = await routeStage(request, body, deps.uids); //                               shared listeners
    if (routing.unrouted) return run.reply(filteredReply(listener, respondTo, 'unrouted'));
    const { storedBody, built } = run.counted(await prepareJob(request, body, routing.route, requestId, receivedAt)); // 400 records
    // An empty batch, or every record refused by records.filter: nothing to deliver.
    if (!built) return run.reply(filteredReply(listener, respondTo));
    const responseContext = { ...respondTo, records: built.records, recordCount: built.records.length, traceKeys: built.traceKeys };
    // Rendered before the write: a template fault must not follow a durable accept with a 500.
    const success = renderSuccess(listener, responseContext);
    const accepted = await acceptJob(deps, listener, built.job, dedup, success, receivedAt); //   503
    if (accepted.status === 'duplicate') return run.reply(duplicateReply(accepted.response));
    run.stored(accepted.jobId);
    deps.samples.keep(listener.id, () => sampleOf(request, storedBody, receivedAt));
    run.reply(await respondAccepted(deps, listener, accepted.jobId, success, responseContext, dedup.key)); // respond
  } catch (error) {
    run.fail(error, deps.logger);
  } finally {
    run.finish(deps.observers, deps.logger);
  }
}
