/**
 * The verifier plugin contract (passport-strategy style). A verifier is a plain
 * typed object; `index.ts` registers every built-in explicitly.
 *
 * `verify` works on the raw body bytes, returns a result and never touches the
 * response. It throws only for infrastructure faults. The `reason` of a failure is
 * never shown to the sender (they get a bare 401); it goes to debug logs.
 */
import type { TSchema } from '@sinclair/typebox';

/** A secret after normalisation: stored strings become `{ value }`. */
export interface Secret {
  value: string;
  /** ISO-8601; the secret stops verifying after this instant. */
  expiresAt?: string;
}

/** Header names are lower-case, as Node gives them. */
export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

export interface VerifyContext {
  method: string;
  rawBody: Buffer;
  headers: HeaderMap;
  /** The URL the partner called, built on HOOKPORT_PUBLIC_URL, with the query string. */
  url: string;
  /** Parsed query string. */
  query: Record<string, unknown>;
  /** The `{secret}` segment of `/hooks/{listenerId}/{secret}`, when present. */
  pathSecret: string | undefined;
  /** The parsed body; parsed once, on first call. Rejects with an AppError when malformed. */
  body(): Promise<unknown>;
  /** Milliseconds since the epoch, from the injected clock. */
  now(): number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: string };

/** What a partner would send; `test-request` and test fixtures build these. */
export interface OutgoingRequest {
  method: string;
  /** Path and query relative to the listener URL, e.g. `` (empty) or `/{secret}?a=1`. */
  pathSuffix: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface VerifierPlugin<Config = any> {
  /** Equal to the `type` in listener settings and to the file stem (with `-` for `_`). */
  name: string;
  /** TypeBox/JSON schema of the settings object (including `type`). */
  configSchema: TSchema;
  /** Top-level settings fields that hold secret lists; encrypted at rest, masked in the API. */
  secretFields: readonly string[];
  /**
   * Top-level settings fields that hold one secret string each (Meta's `verifyToken`);
   * encrypted at rest and masked in the API like `secretFields`, but never a key to
   * verify or sign with.
   */
  secretStrings?: readonly string[];
  /**
   * Semantic checks that a schema cannot express (e.g. a template that does not
   * compile, a preset without a required field). Returns field errors; `path` is
   * relative to the settings object (e.g. `/signedContent`).
   */
  check?(config: Config): Array<{ path: string; message: string }>;
  /** Fills in generated secrets when the settings omit them (secret_url). Returns the secrets it generated. */
  generateSecrets?(config: Config): Secret[];
  verify(context: VerifyContext, config: Config): VerifyResult | Promise<VerifyResult>;
  /**
   * Signs `request` exactly as the partner would, with the first active secret,
   * adding headers (and path suffix for secret_url). Used by test-request and tests.
   */
  sign(request: OutgoingRequest, config: Config, now: number, publicUrl: string): OutgoingRequest;
  /** Header names (lower-case) to mask in debug logs, e.g. the signature header. */
  sensitiveHeaders(config: Config): string[];
  /** Query parameter names to mask in debug logs (token in query). */
  sensitiveQuery?(config: Config): string[];
  /** Body paths to mask in debug logs (token in body), as JSONPath. */
  sensitiveBodyPaths?(config: Config): string[];
  /** The dedup key a preset implies, e.g. `header:X-GitHub-Delivery`. */
  defaultDedupKey?(config: Config): string | undefined;
  /** Handshake rules a preset implies (SPEC §5), checked after the listener's own. */
  handshakes?(config: Config): HandshakeRule[];
}

/** A condition over `{ method, headers, query, body }` (SPEC §5). */
export interface Condition {
  path: string;
  equals?: unknown;
  exists?: boolean;
  matches?: string;
}

export interface HandshakeResponse {
  status: number;
  type: 'json' | 'urlencoded' | 'text';
  headers?: Record<string, string>;
  /**
   * Strings in here are Handlebars templates over `{ method, headers, query, body, secret }`
   * where `secret` is the first active secret of the listener's verifier (for the `hmac` helper).
   */
  body?: unknown;
}

export interface HandshakeRule {
  when: Condition[];
  respond: HandshakeResponse;
  /** When true the request must also pass the listener's verifier. */
  verify?: boolean;
  /**
   * A template (over the same object as `respond`) whose value becomes the
   * listener's secret when it has no active one yet — trust on first use, for
   * senders that hand their secret over in the handshake (Asana's
   * `X-Hook-Secret`). A listener that already has an active secret does not
   * answer such a rule: the request goes on to verification like any other.
   */
  captureSecret?: string;
}
