/**
 * Turns what a client sent for a listener into complete, checked settings: the
 * schema with its defaults, the verifier plugin's own schema, and every check a
 * schema cannot express (JSONPaths, templates, conditions, CIDRs, a JSON Schema).
 * Runs when a listener is saved — never per request.
 */
import { AppError, type FieldError } from '../errors';
import { compileValidator } from '../schema';
import { checkPath } from '../json-path';
import { checkTemplate, checkDeep } from '../templates';
import { checkConditions } from '../conditions';
import { checkOutput } from '../records/output-mapping';
import { checkHandshakes } from '../handshakes/handshake';
import { checkHeaderMap } from '../http/header-field';
import { checkAttach } from '../attach/check-attach';
import { attachDefaults } from '../attach/attach-schema';
import { validateCidrList } from '../security/ip-allow';
import { checkBodySchema } from '../validation/body-schema';
import { getVerifier, validateVerification } from '../../plugins/verifiers';
import type { Secret } from '../verification/plugin';
import { ListenerSettingsSchema, type ListenerSettings } from './settings-schema';
import { restoreMaskedSecrets } from './verification-secrets';
import { convertMember, headersAsObject } from '../validation/header-forms';

const validateSettings = compileValidator(ListenerSettingsSchema);

export interface NormalizedListener {
  settings: ListenerSettings;
  /** Secrets generated because the settings left them out; shown once. */
  generated: Secret[];
}

function fail(errors: FieldError[]): never {
  throw new AppError('ERR_INVALID_REQUEST', errors.map((e) => `${e.path} ${e.message}`).join('; '), {
    extensions: { errors },
  });
}

function semanticErrors(settings: ListenerSettings): FieldError[] {
  const errors: FieldError[] = [];
  errors.push(...validateCidrList(settings.allowIps, '/allowIps'));
  if (settings.records.resourcePath) {
    const problem = checkPath(settings.records.resourcePath);
    if (problem) errors.push({ path: '/records/resourcePath', message: problem });
  }
  if (settings.records.traceKeyTemplate) errors.push(...checkTemplate(settings.records.traceKeyTemplate, '/records/traceKeyTemplate'));
  if (settings.records.dataUriTemplate) errors.push(...checkTemplate(settings.records.dataUriTemplate, '/records/dataUriTemplate'));
  errors.push(...checkConditions(settings.records.filter, '/records/filter'));
  if (settings.records.output !== null) errors.push(...checkOutput(settings.records.output));
  errors.push(...checkConditions(settings.filter, '/filter'));
  if (settings.routing) errors.push(...checkTemplate(settings.routing.uid, '/routing/uid'));
  if (settings.attach) errors.push(...checkAttach(attachDefaults(settings.attach)));
  errors.push(...checkHandshakes(settings.handshake.filter((rule) => 'when' in rule) as never, '/handshake'));
  if (settings.dedup?.key.startsWith('jsonpath:')) {
    const problem = checkPath(settings.dedup.key.slice('jsonpath:'.length));
    if (problem) errors.push({ path: '/dedup/key', message: problem });
  }
  errors.push(...checkBodySchema(settings.validation.schema, '/validation/schema'));
  if (settings.validation.enabled && settings.validation.schema === null) {
    errors.push({ path: '/validation/schema', message: 'is required when validation is enabled (derive one with POST .../structure)' });
  }
  if (settings.response.body !== null) errors.push(...checkDeep(settings.response.body, '/response/body'));
  errors.push(...checkHeaderMap(settings.response.headers, '/response/headers'));
  for (const [name, value] of Object.entries(settings.response.headers)) {
    errors.push(...checkTemplate(value, `/response/headers/${name}`));
  }
  settings.debug.redact.forEach((path, index) => {
    const problem = checkPath(path);
    if (problem) errors.push({ path: `/debug/redact/${index}`, message: problem });
  });
  return errors;
}

/** Response and handshake-answer headers given as a list `[{name, value}]` become the object the settings hold (in place). */
export function listenerHeadersAsObjects(body: unknown): unknown {
  const candidate = body as Record<string, unknown> | null;
  convertMember(candidate?.response, 'headers', headersAsObject);
  if (Array.isArray(candidate?.handshake)) {
    for (const rule of candidate.handshake) convertMember((rule as Record<string, unknown> | null)?.respond, 'headers', headersAsObject);
  }
  return body;
}

/**
 * @param input the raw body (create) or the stored settings merged with a patch (update)
 * @param previousVerification the stored, unsealed verification, so masked secrets can be kept
 * @throws AppError ERR_INVALID_REQUEST naming every bad field
 */
export function normalizeListener(input: unknown, previousVerification?: Record<string, unknown> & { type: string }): NormalizedListener {
  const candidate = listenerHeadersAsObjects(structuredClone(input)) as Record<string, unknown>;
  const maskErrors =
    candidate && typeof candidate === 'object' && candidate.verification && typeof candidate.verification === 'object'
      ? restoreMaskedSecrets(candidate.verification as Record<string, unknown>, previousVerification)
      : [];
  const result = validateSettings(candidate);
  if (!result.ok) fail([...result.errors, ...maskErrors]);
  const settings = result.value;
  if (maskErrors.length) fail(maskErrors);
  if (settings.dedup && settings.dedup.windowSeconds === undefined) settings.dedup.windowSeconds = 86_400;
  if (settings.attach) settings.attach = attachDefaults(settings.attach);

  const verification = validateVerification(settings.verification);
  if (!verification.config) fail(verification.errors);
  settings.verification = verification.config as ListenerSettings['verification'];
  const plugin = getVerifier(settings.verification.type);
  const generated = plugin.generateSecrets?.(settings.verification) ?? [];

  const errors = semanticErrors(settings);
  if (errors.length) fail(errors);
  return { settings, generated };
}

/**
 * RFC 7396 JSON merge patch: objects merge, arrays and scalars replace, null
 * removes (and the default comes back). Changing the verifier type replaces the
 * whole `verification`, since the old type's fields would not fit the new one.
 */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> =
    target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    if (key === '__proto__') continue;
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

export function patchListenerSettings(stored: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const verificationPatch = patch.verification as Record<string, unknown> | undefined;
  const storedVerification = stored.verification as Record<string, unknown> | undefined;
  if (verificationPatch && typeof verificationPatch === 'object' && verificationPatch.type && verificationPatch.type !== storedVerification?.type) {
    return { ...(mergePatch(stored, { ...patch, verification: null }) as Record<string, unknown>), verification: verificationPatch };
  }
  return mergePatch(stored, patch) as Record<string, unknown>;
}
