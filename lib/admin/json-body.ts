/**
 * The admin API's JSON body parser, mounted per route AFTER authentication
 * (routes.ts), so a caller without a valid key never makes the server read or
 * parse a body (#11 finding 4). Bodies are capped at `admin.maxBodyBytes`
 * (default 1 MiB), and JSON nested deeper than ingest's limit (64) is refused
 * with 400 before JSON.parse builds it, as the ingest parser does: code further
 * on (settings normalization, schema inference) recurses (#11 finding 7).
 *
 * body-parser is imported here, where it does its job, rather than reached
 * through Express's re-export: the dependency is ours, pinned in package.json.
 */
import bodyParser from 'body-parser';
import type { RequestHandler } from 'express';
import { assertDepth } from '../parsers/json-depth';
import { DEFAULT_PARSE_LIMITS } from '../parsers';

/** The deepest JSON any admin body may hold: the same as a webhook body's. */
export const ADMIN_JSON_MAX_DEPTH = DEFAULT_PARSE_LIMITS.maxDepth;

export function adminJsonBody(maxBodyBytes: number): RequestHandler {
  return bodyParser.json({
    limit: maxBodyBytes,
    type: ['application/json', 'application/*+json'],
    verify(_req, _res, raw, encoding) {
      assertDepth(raw.toString(encoding as BufferEncoding), ADMIN_JSON_MAX_DEPTH);
    },
  });
}
