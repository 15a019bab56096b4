/**
 * `records.output` (Make's `output` directive): a JSON template applied to each
 * record after the resource path and the record filter, before paging. Strings
 * in it are Handlebars templates over `{ record, body, headers, query, method,
 * now, traceKey }`; a string that is exactly one `{{expression}}` keeps the
 * value's JSON type (number, object, array, null) instead of becoming text.
 *
 * A record whose mapping fails (a helper that throws, `required` on a missing
 * value) is set aside as a mapping error with its trace key; the others go on.
 * Nothing here ever fails the request. Compiled once when the listener is
 * saved (RuntimeListener), never per request.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { FieldError } from '../errors';
import { checkDeep, compileDeep, type RenderDeep } from '../templates';

export const OUTPUT_FIELD = '/records/output';

export type OutputMapping = RenderDeep;

/** What a mapping template sees besides the record. */
export interface MappingRequest {
  body: unknown;
  headers: IncomingHttpHeaders | Record<string, string | string[]>;
  query: unknown;
  method: string;
  /** ISO-8601, the time the request arrived. */
  now: string;
}

/** A record whose mapping failed; delivery records it as an error (kind `mapping`) for every flow. */
export interface MappingError {
  /** Index among the records before mapping. */
  index: number;
  traceKey: string;
  dataUri?: string;
  message: string;
}

export interface MappedRecords {
  records: unknown[];
  traceKeys: string[];
  dataUris: string[] | undefined;
  errors: MappingError[];
}

export function compileOutput(template: unknown): OutputMapping {
  return compileDeep(template, OUTPUT_FIELD, { typed: true });
}

/** Save-time check: every template in the mapping compiles. */
export function checkOutput(template: unknown): FieldError[] {
  return checkDeep(template, OUTPUT_FIELD);
}

/** Maps each record; trace keys and data URIs (computed from the records as received) follow the records that mapped. */
export function mapRecords(
  mapping: OutputMapping,
  records: readonly unknown[],
  traceKeys: readonly string[],
  dataUris: readonly string[] | undefined,
  request: MappingRequest,
): MappedRecords {
  const mapped: MappedRecords = { records: [], traceKeys: [], dataUris: dataUris ? [] : undefined, errors: [] };
  for (let index = 0; index < records.length; index++) {
    const traceKey = traceKeys[index]!;
    try {
      const value = mapping({ record: records[index], body: request.body, headers: request.headers, query: request.query, method: request.method, now: request.now, traceKey });
      mapped.records.push(value === undefined ? null : value);
      mapped.traceKeys.push(traceKey);
      mapped.dataUris?.push(dataUris![index]!);
    } catch (error) {
      mapped.errors.push({ index, traceKey, ...(dataUris ? { dataUri: dataUris[index]! } : {}), message: (error as Error).message });
    }
  }
  return mapped;
}
