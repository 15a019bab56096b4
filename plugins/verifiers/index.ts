/**
 * The verifier registry (SPEC §4) and the one module of plugins/ that lib/
 * imports (test/architecture/imports.test.ts enforces it): every built-in is
 * imported and listed here explicitly; a new verifier is one file plus one line
 * in BUILTIN_VERIFIERS. The contract a verifier implements is
 * lib/verification/plugin.ts. An unknown or duplicate name fails loudly, at start-up for
 * duplicates and when a listener is saved for unknown types.
 */
import { basicVerifier } from './basic';
import { createConfigValidator, type ValidateOptions, type VerificationValidation } from './config-validator';
import { ecdsaVerifier } from './ecdsa';
import { ed25519Verifier } from './ed25519';
import { hashVerifier } from './hash';
import { hmacVerifier } from './hmac';
import { jwtVerifier } from './jwt';
import { noneVerifier } from './none';
import { presetVerifier } from './preset';
import { PRESET_PROVIDERS } from './presets';
import { buildRegistry } from './registry';
import { secretUrlVerifier } from './secret-url';
import { tokenVerifier } from './token';
import type { VerifierPlugin } from '../../lib/verification/plugin';

export const BUILTIN_VERIFIERS: readonly VerifierPlugin[] = [
  noneVerifier,
  basicVerifier,
  hmacVerifier,
  secretUrlVerifier,
  tokenVerifier,
  presetVerifier,
  hashVerifier,
  ed25519Verifier,
  ecdsaVerifier,
  jwtVerifier,
];

/** Builds a registry from a list of plugins; throws on a duplicate name. */
export function createVerifierRegistry(plugins: readonly VerifierPlugin[]): Readonly<Record<string, VerifierPlugin>> {
  return buildRegistry(plugins, 'verifier');
}

export const VERIFIERS = createVerifierRegistry(BUILTIN_VERIFIERS);

/** The plugin for a listener's `verification.type`; throws for an unknown type. */
export function getVerifier(type: string): VerifierPlugin {
  const plugin = VERIFIERS[type];
  if (!plugin) throw new Error(`Unknown verification type "${type}"; known: ${verifierTypes().join(', ')}`);
  return plugin;
}

export function verifierTypes(): string[] {
  return Object.keys(VERIFIERS);
}

const validator = createConfigValidator(VERIFIERS);

/**
 * Validates `listener.verification` (schemas compiled once, at module load),
 * normalises secrets and runs the plugin's `check`. Error paths look like
 * `/verification/keys/0`. With `{ generateSecrets: true }` omitted secrets
 * (secret_url) are generated and returned in `generated`, to show once.
 */
export function validateVerification(raw: unknown, options?: ValidateOptions): VerificationValidation {
  return validator(raw, options);
}

export { PRESET_PROVIDERS };
export { presetSummaries, type PresetSummary } from './preset-summary';
export { BUILTIN_HANDSHAKE_NAMES, BUILTIN_HANDSHAKES, builtinHandshakes } from './handshakes';
export type { NormalizedConfig, ValidateOptions, VerificationValidation } from './config-validator';
