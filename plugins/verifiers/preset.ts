/**
 * `preset`: a provider's own scheme, verified exactly as the provider documents
 * it (SPEC §4). Most presets are data over a generic verifier (hmac, hash,
 * token, ed25519, ecdsa, jwt): the preset's settings plus the listener's
 * secrets make that verifier's config. The others bring their own verify/sign
 * (presets/*.ts with `scheme: 'custom'`). A preset also implies its provider's
 * dedup key (§9) and handshakes (§5).
 */
import { Type } from '@sinclair/typebox';
import { withUrl } from './context';
import { ecdsaVerifier } from './ecdsa';
import { ed25519Verifier } from './ed25519';
import { builtinHandshakes } from './handshakes';
import { hashVerifier } from './hash';
import { hmacVerifier } from './hmac';
import { jwtVerifier } from './jwt';
import { getPreset, PRESET_PROVIDERS, type PresetConfig } from './presets';
import type { DataPreset } from './presets/types';
import { secretList, stringEnum } from './schema';
import { tokenVerifier } from './token';
import type { OutgoingRequest, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

/** The generic verifiers a data preset can stand on, by `scheme`. */
const DATA_VERIFIERS: Record<DataPreset['scheme'], VerifierPlugin> = {
  hmac: hmacVerifier,
  hash: hashVerifier,
  token: tokenVerifier,
  ed25519: ed25519Verifier,
  ecdsa: ecdsaVerifier,
  jwt: jwtVerifier,
};

const configSchema = Type.Object(
  {
    type: Type.Literal('preset'),
    provider: stringEnum(PRESET_PROVIDERS),
    // At least one, except for a provider whose handshake hands the secret over (check() says which).
    secrets: secretList(0),
    publicUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', description: 'The URL configured at the provider (twilio, square, trello, mandrill, hubspot)' })),
    verifyToken: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "Meta's subscription verify token" })),
  },
  { additionalProperties: false },
);

export interface BaseVerification {
  plugin: VerifierPlugin;
  config: Record<string, unknown> & { type: string };
}

/** The generic verifier a data preset stands for, and its config with the preset's secrets. */
export function presetBaseVerification(preset: DataPreset, config: PresetConfig): BaseVerification {
  const plugin = DATA_VERIFIERS[preset.scheme];
  return { plugin, config: { type: plugin.name, ...preset.settings, [plugin.secretFields[0]!]: config.secrets } };
}

/** Whether the handshake hands the secret over (Asana), so the listener may start without one. */
function capturesSecret(handshake: string | undefined): boolean {
  const rules = handshake === undefined ? [] : (builtinHandshakes() as Record<string, Array<{ captureSecret?: string }>>)[handshake] ?? [];
  return rules.some((rule) => rule.captureSecret !== undefined);
}

function signsUrl(preset: DataPreset): boolean {
  return (preset.scheme === 'hmac' || preset.scheme === 'hash') && preset.signsUrl === true;
}

function verify(context: VerifyContext, config: PresetConfig): VerifyResult | Promise<VerifyResult> {
  const preset = getPreset(config.provider);
  if (preset.scheme === 'custom') return preset.verify(context, config);
  const seen = signsUrl(preset) && config.publicUrl !== undefined ? withUrl(context, config.publicUrl) : context;
  const base = presetBaseVerification(preset, config);
  return base.plugin.verify(seen, base.config);
}

function sign(request: OutgoingRequest, config: PresetConfig, now: number, publicUrl: string): OutgoingRequest {
  const preset = getPreset(config.provider);
  if (preset.scheme === 'custom') return preset.sign(request, config, now, publicUrl);
  const url = signsUrl(preset) && config.publicUrl !== undefined ? config.publicUrl : publicUrl;
  const base = presetBaseVerification(preset, config);
  return base.plugin.sign(request, base.config, now, url);
}

function check(config: PresetConfig): Array<{ path: string; message: string }> {
  const preset = getPreset(config.provider);
  const errors: Array<{ path: string; message: string }> = [];
  for (const field of ['publicUrl', 'verifyToken'] as const) {
    if (config[field] !== undefined && !(preset.accepts ?? []).includes(field)) {
      errors.push({ path: `/${field}`, message: `does not apply to provider ${preset.name}` });
    }
  }
  if (config.secrets.length === 0 && !capturesSecret(preset.handshake)) {
    errors.push({ path: '/secrets', message: 'must NOT have fewer than 1 items' });
  }
  for (const field of preset.requires ?? []) {
    if (config[field] === undefined) errors.push({ path: `/${field}`, message: `is required for provider ${preset.name}` });
  }
  if (preset.scheme !== 'custom') {
    // The base verifier's checks of the secrets (their encoding, a key's shape) speak of /secrets.
    const base = presetBaseVerification(preset, config);
    const field = `/${base.plugin.secretFields[0]!}/`;
    for (const problem of base.plugin.check?.(base.config) ?? []) {
      errors.push({ path: problem.path.startsWith(field) ? `/secrets/${problem.path.slice(field.length)}` : problem.path, message: problem.message });
    }
  }
  return errors.concat(preset.check?.(config) ?? []);
}

function sensitiveHeaders(config: PresetConfig): string[] {
  const preset = getPreset(config.provider);
  const extra = [...(preset.extraSensitiveHeaders ?? [])];
  if (preset.scheme === 'custom') return [...preset.sensitiveHeaders, ...extra];
  const base = presetBaseVerification(preset, config);
  return [...base.plugin.sensitiveHeaders(base.config), ...extra];
}

function sensitiveQuery(config: PresetConfig): string[] {
  const preset = getPreset(config.provider);
  const own = [...(preset.sensitiveQuery ?? [])];
  if (preset.scheme === 'custom') return own;
  const base = presetBaseVerification(preset, config);
  return [...(base.plugin.sensitiveQuery?.(base.config) ?? []), ...own];
}

function sensitiveBodyPaths(config: PresetConfig): string[] {
  const preset = getPreset(config.provider);
  if (preset.scheme === 'custom') return [];
  const base = presetBaseVerification(preset, config);
  return base.plugin.sensitiveBodyPaths?.(base.config) ?? [];
}

export const presetVerifier: VerifierPlugin<PresetConfig> = {
  name: 'preset',
  configSchema,
  secretFields: ['secrets'],
  secretStrings: ['verifyToken'],
  check,
  verify,
  sign,
  sensitiveHeaders,
  sensitiveQuery,
  sensitiveBodyPaths,
  defaultDedupKey: (config) => getPreset(config.provider).defaultDedupKey,
  handshakes: (config) => {
    const name = getPreset(config.provider).handshake;
    return name === undefined ? [] : builtinHandshakes({ verifyToken: config.verifyToken })[name];
  },
};
