/**
 * A provider preset (SPEC §4 `{ type: "preset", provider, secrets }`). Where the
 * provider's scheme is the generic hmac verifier, the preset is data: the hmac
 * settings it fixes (`scheme: 'hmac'`). Providers whose rules the hmac verifier
 * cannot express bring a small verify/sign of their own (`scheme: 'custom'`).
 */
import type { HmacScheme } from '../hmac';
import type { FieldError } from '../../../lib/errors';
import type { HandshakeRule, OutgoingRequest, Secret, VerifyContext, VerifyResult } from '../../../lib/verification/plugin';

export interface PresetConfig {
  type: 'preset';
  provider: string;
  secrets: Secret[];
  /** The URL configured at the provider, for providers that sign the URL (Twilio, Square). */
  publicUrl?: string;
  /** Meta's subscription verify token (checked by the handshake, not by the signature). */
  verifyToken?: string;
}

interface PresetBase {
  /** The `provider` value in listener settings. */
  name: string;
  /** The provider's own description of the scheme. */
  docs: string;
  /** Extra settings the preset needs or accepts: `publicUrl`, `verifyToken`. */
  accepts?: ReadonlyArray<'publicUrl' | 'verifyToken'>;
  requires?: ReadonlyArray<'verifyToken'>;
  /** The dedup key the provider's docs suggest (SPEC §9). */
  defaultDedupKey?: string;
  handshakes?(config: PresetConfig): HandshakeRule[];
  /** Provider-specific checks, e.g. the shape of a secret. Paths relative to the settings. */
  check?(config: PresetConfig): FieldError[];
  sensitiveQuery?: readonly string[];
}

export interface HmacPreset extends PresetBase {
  scheme: 'hmac';
  hmac: HmacScheme;
  /** `{url}` in the signed content is `publicUrl` when configured (the URL the provider was given). */
  signsUrl?: boolean;
  /** Further headers to mask in debug logs (e.g. GitHub's legacy SHA-1 signature). */
  extraSensitiveHeaders?: readonly string[];
}

export interface CustomPreset extends PresetBase {
  scheme: 'custom';
  verify(context: VerifyContext, config: PresetConfig): VerifyResult | Promise<VerifyResult>;
  sign(request: OutgoingRequest, config: PresetConfig, now: number, publicUrl: string): OutgoingRequest;
  sensitiveHeaders: readonly string[];
}

export type PresetDefinition = HmacPreset | CustomPreset;
