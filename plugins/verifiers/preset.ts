/**
 * `preset`: a provider's own scheme, verified exactly as the provider documents
 * it (SPEC §4). Providers whose scheme is the generic hmac verifier are data
 * mapped onto it; the others bring their own verify/sign (presets/*.ts). A preset
 * also implies its provider's dedup key (§9) and handshakes (§5).
 */
import { Type } from '@sinclair/typebox';
import { withUrl } from './context';
import { hmacVerifier, type HmacConfig } from './hmac';
import { getPreset, PRESET_PROVIDERS, type PresetConfig } from './presets';
import type { HmacPreset } from './presets/types';
import { secretList, stringEnum } from './schema';
import type { OutgoingRequest, VerifierPlugin, VerifyContext, VerifyResult } from '../../lib/verification/plugin';

const configSchema = Type.Object(
  {
    type: Type.Literal('preset'),
    provider: stringEnum(PRESET_PROVIDERS),
    secrets: secretList(1),
    publicUrl: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', description: 'The URL configured at the provider (twilio, square)' })),
    verifyToken: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "Meta's subscription verify token" })),
  },
  { additionalProperties: false },
);

/** The generic hmac settings a data preset stands for, with the preset's secrets as keys. */
export function presetHmacConfig(preset: HmacPreset, config: PresetConfig): HmacConfig {
  return { type: 'hmac', ...preset.hmac, keys: config.secrets };
}

function verify(context: VerifyContext, config: PresetConfig): VerifyResult | Promise<VerifyResult> {
  const preset = getPreset(config.provider);
  if (preset.scheme === 'custom') return preset.verify(context, config);
  const seen = preset.signsUrl && config.publicUrl !== undefined ? withUrl(context, config.publicUrl) : context;
  return hmacVerifier.verify(seen, presetHmacConfig(preset, config));
}

function sign(request: OutgoingRequest, config: PresetConfig, now: number, publicUrl: string): OutgoingRequest {
  const preset = getPreset(config.provider);
  if (preset.scheme === 'custom') return preset.sign(request, config, now, publicUrl);
  const url = preset.signsUrl && config.publicUrl !== undefined ? config.publicUrl : publicUrl;
  return hmacVerifier.sign(request, presetHmacConfig(preset, config), now, url);
}

function check(config: PresetConfig): Array<{ path: string; message: string }> {
  const preset = getPreset(config.provider);
  const errors: Array<{ path: string; message: string }> = [];
  for (const field of ['publicUrl', 'verifyToken'] as const) {
    if (config[field] !== undefined && !(preset.accepts ?? []).includes(field)) {
      errors.push({ path: `/${field}`, message: `does not apply to provider ${preset.name}` });
    }
  }
  for (const field of preset.requires ?? []) {
    if (config[field] === undefined) errors.push({ path: `/${field}`, message: `is required for provider ${preset.name}` });
  }
  return errors.concat(preset.check?.(config) ?? []);
}

function sensitiveHeaders(config: PresetConfig): string[] {
  const preset = getPreset(config.provider);
  if (preset.scheme === 'custom') return [...preset.sensitiveHeaders];
  return [...hmacVerifier.sensitiveHeaders(presetHmacConfig(preset, config)), ...(preset.extraSensitiveHeaders ?? [])];
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
  sensitiveQuery: (config) => [...(getPreset(config.provider).sensitiveQuery ?? [])],
  defaultDedupKey: (config) => getPreset(config.provider).defaultDedupKey,
  handshakes: (config) => getPreset(config.provider).handshakes?.(config) ?? [],
};
