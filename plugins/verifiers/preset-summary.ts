/**
 * What the preset data means to an integrator, in one shape for the two places
 * that show it: `GET /api/v1/presets` and the README's preset table (written by
 * `npm run presets:readme`, kept in sync by a test). Both come from the preset
 * files themselves, so a new preset appears in both without further edits.
 */
import { presetVerifier } from './preset';
import { PRESETS } from './presets';
import type { PresetDefinition } from './presets/types';
import type { SignatureItems } from './signed-digest';

export interface PresetSummary {
  name: string;
  displayName: string;
  /** The verifier the preset is data over (`custom` for its own code). */
  scheme: string;
  /** What the provider sends, in one line. */
  signature: string;
  secret: { what: string; where: string };
  docs: string;
  defaultDedupKey: string | null;
  handshake: string | null;
  /** Settings besides `secrets` the preset takes. */
  accepts: string[];
  /** Headers masked in debug logs. */
  sensitiveHeaders: string[];
}

const HASH_NAMES: Record<string, string> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

function itemsExample(items: SignatureItems, encoding: string): string {
  const parts = [`${items.signatureKey}${items.assign}<${encoding}>`];
  if (items.timestampKey !== undefined) parts.unshift(`${items.timestampKey}${items.assign}<time>`);
  return parts.join(items.separator === ' ' ? ' ' : items.separator);
}

function timestampNote(settings: { timestampHeader?: string; timestampBodyPath?: string; timestampFormat?: string; toleranceSeconds?: number; signatureItems?: SignatureItems }): string {
  const source = settings.timestampHeader ?? (settings.timestampBodyPath !== undefined ? `body ${settings.timestampBodyPath}` : settings.signatureItems?.timestampKey !== undefined ? `${settings.signatureItems.timestampKey}=` : undefined);
  if (source === undefined) return '';
  const unit = settings.timestampFormat === 'unix-ms' ? 'ms' : settings.timestampFormat === 'rfc3339' ? 'RFC 3339' : 's';
  return `; time in ${source} (${unit}), ±${settings.toleranceSeconds ?? 300} s`;
}

/** One line saying what the provider sends. */
export function describeScheme(preset: PresetDefinition): string {
  switch (preset.scheme) {
    case 'custom':
      return preset.summary;
    case 'hmac':
    case 'hash': {
      const s = preset.settings;
      const what = preset.scheme === 'hmac' ? `HMAC-${HASH_NAMES[s.algorithm]}` : `plain ${HASH_NAMES[s.algorithm]}`;
      const value = s.signatureItems ? itemsExample(s.signatureItems, s.encoding) : `${s.prefix ?? ''}<${s.encoding}>`;
      const encoding = preset.scheme === 'hmac' ? preset.settings.secretEncoding : undefined;
      const key = encoding !== undefined && encoding !== 'utf8' ? ` (key: ${encoding}-decoded secret)` : '';
      return `\`${s.header}: ${value}\`, ${what} of \`${s.signedContent ?? '{body}'}\`${key}${timestampNote(s)}`;
    }
    case 'token': {
      const location = preset.settings.location;
      const where = location.in === 'body' ? `body field \`${location.path}\`` : location.in === 'header' ? `header \`${location.name}\`` : `query \`?${location.name}=\``;
      return `the secret as sent, in ${where}`;
    }
    case 'ed25519':
    case 'ecdsa': {
      const s = preset.settings;
      const what = preset.scheme === 'ed25519' ? 'Ed25519' : 'ECDSA P-256';
      return `\`${s.header}: <${s.signatureEncoding}>\`, ${what} signature of \`${s.signedContent ?? '{body}'}\` (public key)${timestampNote(s)}`;
    }
    case 'jwt': {
      const s = preset.settings;
      const claim = s.bodyHashClaim !== undefined ? `, claim \`${s.bodyHashClaim}\` = ${s.bodyHashEncoding ?? 'hex'} SHA-256 of the body` : '';
      return `\`${s.header}\`: ${s.algorithms.join('/')} JWT${s.issuer !== undefined ? ` (iss \`${s.issuer}\`)` : ''}${claim}`;
    }
  }
}

export function summarize(preset: PresetDefinition): PresetSummary {
  const config = { type: 'preset' as const, provider: preset.name, secrets: [] };
  return {
    name: preset.name,
    displayName: preset.displayName,
    scheme: preset.scheme,
    signature: describeScheme(preset),
    secret: { ...preset.secret },
    docs: preset.docs,
    defaultDedupKey: preset.defaultDedupKey ?? null,
    handshake: preset.handshake ?? null,
    accepts: [...(preset.accepts ?? [])],
    sensitiveHeaders: presetVerifier.sensitiveHeaders(config),
  };
}

/** Every preset, sorted by name. */
export function presetSummaries(): PresetSummary[] {
  return Object.values(PRESETS)
    .map(summarize)
    .sort((a, b) => a.name.localeCompare(b.name));
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The README table: one row per preset. */
export function presetTableMarkdown(): string {
  const rows = presetSummaries().map((summary) =>
    [
      `\`${summary.name}\``,
      `[${cell(summary.displayName)}](${summary.docs})`,
      cell(summary.signature),
      `${cell(summary.secret.what)} — ${cell(summary.secret.where)}`,
      summary.defaultDedupKey === null ? '—' : `\`${summary.defaultDedupKey}\``,
      summary.handshake === null ? '—' : `\`${summary.handshake}\``,
    ].join(' | '),
  );
  return ['| provider | docs | what the provider sends | secret to paste — where the provider shows it | dedup key | handshake |', '|---|---|---|---|---|---|', ...rows.map((row) => `| ${row} |`)].join('\n');
}

export const README_TABLE_START = '<!-- presets:start (generated by npm run presets:readme) -->';
export const README_TABLE_END = '<!-- presets:end -->';

/** `readme` with the text between the markers replaced by the current table. */
export function withPresetTable(readme: string): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start === -1 || end < start) throw new Error(`README has no ${README_TABLE_START} … ${README_TABLE_END} markers`);
  return `${readme.slice(0, start + README_TABLE_START.length)}\n${presetTableMarkdown()}\n${readme.slice(end)}`;
}

// `npm run presets:readme` rewrites the table in README.md (run from the repository root).
if (require.main === module) {
  const fs = require('node:fs') as typeof import('node:fs');
  const path = `${process.cwd()}/README.md`;
  fs.writeFileSync(path, withPresetTable(fs.readFileSync(path, 'utf8')));
}
