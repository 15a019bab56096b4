/**
 * A listener compiled for the hot path: its verifier resolved, templates,
 * conditions, JSONPaths and schema compiled, limits in the shape the stages want.
 * Built once per listener version (on save or first use), never per request.
 */
import type { ListenerState } from '../listeners/listener-service';
import type { ListenerSettings } from '../listeners/settings-schema';
import { compileConditions, type Predicate } from '../conditions';
import { compileDeep, compileTemplate, type RenderDeep, type RenderTemplate } from '../templates';
import { compileOutput, type OutputMapping } from '../records/output-mapping';
import { compileHandshakes, type CompiledHandshakes } from '../handshakes/handshake';
import { createIpAllowList, type IpAllowList } from '../security/ip-allow';
import { redactionRules, type RedactionRules } from '../security/redact';
import { compileBodySchema, type BodyValidator } from '../validation/body-schema';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../parsers';
import { BUILTIN_HANDSHAKES, getVerifier } from '../../plugins/verifiers';
import { activeSecrets } from '../verification/secrets';
import type { HandshakeRule, Secret, VerifierPlugin } from '../verification/plugin';

export type DedupSource = { kind: 'header'; name: string; windowMs: number } | { kind: 'jsonpath'; path: string; windowMs: number };

export interface RuntimeListener extends RedactionRules {
  readonly id: string;
  readonly state: ListenerState;
  readonly settings: ListenerSettings;
  readonly deleted: boolean;
  readonly verifier: VerifierPlugin;
  readonly verification: Record<string, unknown> & { type: string };
  readonly ipAllow: IpAllowList | undefined;
  readonly handshakes: CompiledHandshakes | undefined;
  readonly filter: Predicate | undefined;
  readonly recordFilter: Predicate | undefined;
  readonly traceKey: RenderTemplate | undefined;
  readonly dataUri: RenderTemplate | undefined;
  /** `routing.uid`, compiled: a shared listener's tenant uid per request. */
  readonly routingUid: RenderTemplate | undefined;
  /** `records.output`, compiled (typed). */
  readonly output: OutputMapping | undefined;
  readonly responseBody: RenderDeep | undefined;
  readonly responseHeaders: ReadonlyArray<readonly [string, RenderTemplate]>;
  readonly dedup: DedupSource | undefined;
  readonly validateBody: BodyValidator | undefined;
  readonly parseLimits: ParseLimits;
}

function handshakeRules(settings: ListenerSettings, verifier: VerifierPlugin, verification: Record<string, unknown>): HandshakeRule[] {
  const rules: HandshakeRule[] = [];
  for (const entry of settings.handshake) {
    if ('builtin' in entry) rules.push(...(BUILTIN_HANDSHAKES[entry.builtin] ?? []));
    else rules.push(entry as HandshakeRule);
  }
  rules.push(...(verifier.handshakes?.(verification) ?? []));
  return rules;
}

function dedupSource(settings: ListenerSettings, verifier: VerifierPlugin, verification: Record<string, unknown>): DedupSource | undefined {
  const key = settings.dedup?.key ?? verifier.defaultDedupKey?.(verification);
  if (!key) return undefined;
  const windowMs = (settings.dedup?.windowSeconds ?? 86_400) * 1000;
  if (key.startsWith('header:')) return { kind: 'header', name: key.slice(7).toLowerCase(), windowMs };
  if (key.startsWith('jsonpath:')) return { kind: 'jsonpath', path: key.slice(9), windowMs };
  return undefined;
}

export interface CompileOptions {
  /** Config `trustedProxies`: peers whose X-Forwarded-For is believed. */
  trustedProxies: readonly string[];
}

export function compileListener(state: ListenerState, options: CompileOptions): RuntimeListener {
  const settings = state.settings;
  const verification = settings.verification as Record<string, unknown> & { type: string };
  const verifier = getVerifier(verification.type);
  const rules = handshakeRules(settings, verifier, verification);
  const responseBody = settings.response.body;
  return {
    id: state.id,
    state,
    settings,
    deleted: state.deletedAt !== null,
    verifier,
    verification,
    ipAllow: settings.allowIps.length > 0 ? createIpAllowList(settings.allowIps, [...options.trustedProxies]) : undefined,
    handshakes: rules.length > 0 ? compileHandshakes(rules) : undefined,
    filter: settings.filter.length > 0 ? compileConditions(settings.filter, { headerNamesCaseInsensitive: true }) : undefined,
    recordFilter: settings.records.filter.length > 0 ? compileConditions(settings.records.filter) : undefined,
    traceKey: settings.records.traceKeyTemplate ? compileTemplate(settings.records.traceKeyTemplate, '/records/traceKeyTemplate') : undefined,
    routingUid: settings.routing ? compileTemplate(settings.routing.uid, '/routing/uid') : undefined,
    output: settings.records.output === null ? undefined : compileOutput(settings.records.output),
    dataUri: settings.records.dataUriTemplate ? compileTemplate(settings.records.dataUriTemplate, '/records/dataUriTemplate') : undefined,
    responseBody: responseBody === null ? undefined : compileDeep(responseBody, '/response/body'),
    responseHeaders: Object.entries(settings.response.headers).map(
      ([name, value]) => [name, compileTemplate(value, `/response/headers/${name}`)] as const,
    ),
    dedup: dedupSource(settings, verifier, verification),
    validateBody: settings.validation.enabled && settings.validation.schema !== null ? compileBodySchema(settings.validation.schema) : undefined,
    parseLimits: { ...DEFAULT_PARSE_LIMITS, maxBodyBytes: settings.parsing.maxBodyBytes },
    ...redactionRules(verifier, verification, settings.debug.redact),
  };
}

/** The first active secret of the verifier's first secret field (handshake templates use it). */
export function handshakeSecret(listener: RuntimeListener, now: number): string | undefined {
  const field = listener.verifier.secretFields[0];
  if (!field) return undefined;
  const secrets = (listener.verification[field] as Secret[] | undefined) ?? [];
  return activeSecrets(secrets, now)[0]?.value;
}
