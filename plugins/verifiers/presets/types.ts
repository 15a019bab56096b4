/**
 * A provider preset (SPEC §4 `{ type: "preset", provider, secrets }`): a small
 * data file per provider. Where the provider's scheme is a generic verifier
 * (hmac, hash, token, ed25519, ecdsa, jwt), the preset is that verifier's
 * settings as data (`scheme` names the verifier, `settings` fixes everything but
 * the secrets). Providers whose rules no generic verifier expresses bring a
 * small verify/sign of their own (`scheme: 'custom'`).
 *
 * Every preset also says what it means to an integrator: a display name, which
 * secret to paste and where the provider shows it, the docs it follows, its
 * dedup key (SPEC §9) and its handshake (SPEC §5).
 */
import type { Ed25519Scheme } from '../ed25519';
import type { EcdsaScheme } from '../ecdsa';
import type { BuiltinHandshakeName } from '../handshakes';
import type { HashScheme } from '../hash';
import type { HmacScheme } from '../hmac';
import type { JwtScheme } from '../jwt';
import type { TokenLocation } from '../token';
import type { FieldError } from '../../../lib/errors';
import type { OutgoingRequest, Secret, VerifyContext, VerifyResult } from '../../../lib/verification/plugin';

export interface PresetConfig {
  type: 'preset';
  provider: string;
  secrets: Secret[];
  /** The URL configured at the provider, for providers that sign the URL (Twilio, Square, Trello, Mandrill, HubSpot). */
  publicUrl?: string;
  /** Meta's subscription verify token (checked by the handshake, not by the signature). */
  verifyToken?: string;
}

interface PresetBase {
  /** The `provider` value in listener settings. */
  name: string;
  /** The provider's name as people write it. */
  displayName: string;
  /** The provider's own description of the scheme. */
  docs: string;
  /** What to paste into `secrets`, and where the provider shows it. */
  secret: { what: string; where: string };
  /** Extra settings the preset needs or accepts: `publicUrl`, `verifyToken`. */
  accepts?: ReadonlyArray<'publicUrl' | 'verifyToken'>;
  requires?: ReadonlyArray<'verifyToken'>;
  /** The dedup key the provider's docs suggest (SPEC §9), e.g. its delivery id header. */
  defaultDedupKey?: string;
  /** The provider's URL check (SPEC §5), by name from handshakes.ts. */
  handshake?: BuiltinHandshakeName;
  /** Provider-specific checks, e.g. the shape of a secret. Paths relative to the settings. */
  check?(config: PresetConfig): FieldError[];
  sensitiveQuery?: readonly string[];
  /** Further headers to mask in debug logs (e.g. GitHub's legacy SHA-1 signature). */
  extraSensitiveHeaders?: readonly string[];
}

/** `{url}` in the signed content is `publicUrl` when configured (the URL the provider was given). */
interface SignsUrl {
  signsUrl?: boolean;
}

export interface HmacPreset extends PresetBase, SignsUrl {
  scheme: 'hmac';
  settings: HmacScheme;
}

export interface HashPreset extends PresetBase, SignsUrl {
  scheme: 'hash';
  settings: HashScheme;
}

export interface TokenPreset extends PresetBase {
  scheme: 'token';
  settings: { location: TokenLocation };
}

export interface Ed25519Preset extends PresetBase {
  scheme: 'ed25519';
  settings: Ed25519Scheme;
}

export interface EcdsaPreset extends PresetBase {
  scheme: 'ecdsa';
  settings: EcdsaScheme;
}

export interface JwtPreset extends PresetBase {
  scheme: 'jwt';
  settings: JwtScheme;
}

export type DataPreset = HmacPreset | HashPreset | TokenPreset | Ed25519Preset | EcdsaPreset | JwtPreset;

export interface CustomPreset extends PresetBase {
  scheme: 'custom';
  /** What the provider sends, in one line (the README and GET /presets show it). */
  summary: string;
  verify(context: VerifyContext, config: PresetConfig): VerifyResult | Promise<VerifyResult>;
  sign(request: OutgoingRequest, config: PresetConfig, now: number, publicUrl: string): OutgoingRequest;
  sensitiveHeaders: readonly string[];
}

export type PresetDefinition = DataPreset | CustomPreset;
