/**
 * The verifier plugin contract (passport-strategy style): everything lib/ knows
 * about a verifier, and everything a verifier may declare. A verifier is one
 * file under plugins/verifiers/ exporting a plain `VerifierPlugin` object, plus
 * one line in plugins/verifiers/index.ts (the registry, the only module of
 * plugins/ that lib/ imports). lib/ never names a verifier: what differs between
 * verifiers is declared here — a challenge header on failure (`challenge`), a
 * secret carried in the URL path (`secretInPath`), secret fields, sensitive
 * headers, query parameters and body paths, handshakes, a dedup key, a warning.
 *
 * `verify` works on the raw body bytes, returns a result and never touches the
 * response. It throws only for infrastructure faults. The `reason` of a failure is
 * never shown to the sender (they get a bare 401); it goes to debug logs.
 */
import type { TSchema } from '@sinclair/typebox';
import type { HandshakeRule } from '../handshakes/handshake';
import type { HeaderMap } from '../http/headers';

export type { HandshakeResponse, HandshakeRule } from '../handshakes/handshake';
export type { HeaderMap } from '../http/headers';

/** A secret after normalisation: stored strings become `{ value }`. */
export interface Secret {
  value: string;
  /** ISO-8601; the secret stops verifying after this instant. */
  expiresAt?: string;
}

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
  /** The `WWW-Authenticate` value sent with a 401 (RFC 9110 §11.6.1), e.g. `Basic realm="hookport"`. */
  challenge?: string;
  /**
   * True when the secret travels as the last URL path segment
   * (`/hooks/{listenerId}/{secret}`): the listener URL shows it, and only such a
   * listener accepts a second path segment. The values are the first `secretFields` list.
   */
  secretInPath?: boolean;
  /** Shown with every listener using this verifier (e.g. "anyone can send"); never refuses a save. */
  warning?: string;
}
