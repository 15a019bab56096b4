/**
 * A body parser turns the raw bytes of a request into a JavaScript value.
 * One file per media type family (body-parser style); `index.ts` registers them.
 * A parser never reads the stream itself: the ingest stage reads the body once,
 * enforcing `maxBodyBytes`, and hands the bytes to the parser.
 */
export interface ParseLimits {
  /** The listener's `parsing.maxBodyBytes`; the whole body is already within it. */
  maxBodyBytes: number;
  /** Deepest nesting accepted in XML (and JSON-ish structures built from forms). */
  maxDepth: number;
  /** multipart: most parts (fields + files) in one request. */
  multipartMaxParts: number;
  /** multipart: most bytes in one file part. */
  multipartMaxFileBytes: number;
  /** multipart: most bytes in one non-file field. */
  multipartMaxFieldBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = Object.freeze({
  maxBodyBytes: 5 * 1024 * 1024,
  maxDepth: 64,
  multipartMaxParts: 1000,
  multipartMaxFileBytes: 5 * 1024 * 1024,
  multipartMaxFieldBytes: 1024 * 1024,
});

export interface ParseContext {
  /** Lower-cased media type without parameters, e.g. `application/json`. */
  mediaType: string;
  /** The whole Content-Type header (multipart needs its boundary). */
  contentType: string;
  /** Lower-cased `charset` parameter when present. */
  charset: string | undefined;
  limits: ParseLimits;
}

export interface BodyParser {
  /** Stable name, equal to the file stem (`json`, `xml`, …). */
  name: string;
  /** True when this parser handles the (lower-cased, parameter-free) media type. */
  matches(mediaType: string): boolean;
  /**
   * Parses the body. Throws AppError('ERR_MALFORMED_BODY', detail) for bad input,
   * with line/column in the detail when known. Throws AppError('ERR_PAYLOAD_TOO_LARGE')
   * when a per-part limit is exceeded.
   */
  parse(raw: Buffer, context: ParseContext): unknown | Promise<unknown>;
}
