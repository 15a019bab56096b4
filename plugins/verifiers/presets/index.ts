/**
 * The provider presets, registered explicitly (one file per provider).
 */
import { buildRegistry } from '../registry';
import { githubPreset } from './github';
import { metaPreset } from './meta';
import { shopifyPreset } from './shopify';
import { slackPreset } from './slack';
import { squarePreset } from './square';
import { standardWebhooksPreset, svixPreset } from './standard-webhooks';
import { stripePreset } from './stripe';
import { twilioPreset } from './twilio';
import type { PresetDefinition } from './types';
import { zoomPreset } from './zoom';

export const PRESETS = buildRegistry<PresetDefinition>(
  [githubPreset, stripePreset, slackPreset, shopifyPreset, standardWebhooksPreset, svixPreset, twilioPreset, zoomPreset, squarePreset, metaPreset],
  'preset provider',
);

export const PRESET_PROVIDERS: readonly string[] = Object.freeze(Object.keys(PRESETS));

export function getPreset(provider: string): PresetDefinition {
  const preset = PRESETS[provider];
  if (!preset) throw new Error(`Unknown preset provider "${provider}"; known: ${PRESET_PROVIDERS.join(', ')}`);
  return preset;
}

export type { PresetConfig, PresetDefinition } from './types';
