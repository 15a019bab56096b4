/**
 * GET /api/v1/presets and the README's preset table: both come from the preset
 * files, and the README is checked against the data so it cannot drift.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PRESET_PROVIDERS } from '../../plugins/verifiers/presets';
import { presetTableMarkdown, README_TABLE_END, README_TABLE_START, withPresetTable } from '../../plugins/verifiers/preset-summary';
import { createHarness, type Harness } from '../helpers/harness';

const README = path.resolve(__dirname, '../../../README.md');

describe('GET /api/v1/presets', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
    await h.keyFor('support');
  });
  after(() => h.close());

  it('lists every preset, sorted, with what to paste and where the provider shows it, for every role', async () => {
    const response = await h.api('support').get('/presets');
    assert.equal(response.status, 200);
    const items = response.body.items as Array<Record<string, any>>;
    assert.deepEqual(items.map((item) => item.name), [...PRESET_PROVIDERS].sort((a, b) => a.localeCompare(b)));
    assert.ok(items.length >= 60);
    for (const item of items) {
      assert.ok(item.displayName && item.signature && item.secret.what && item.secret.where, item.name);
      assert.match(item.docs, /^https:\/\//, item.name);
    }
    const github = items.find((item) => item.name === 'github')!;
    assert.deepEqual(
      { scheme: github.scheme, dedup: github.defaultDedupKey, handshake: github.handshake, sensitive: github.sensitiveHeaders },
      { scheme: 'hmac', dedup: 'header:X-GitHub-Delivery', handshake: null, sensitive: ['x-hub-signature-256', 'x-hub-signature'] },
    );
    const discord = items.find((item) => item.name === 'discord')!;
    assert.equal(discord.scheme, 'ed25519');
    assert.equal(discord.handshake, 'discord');
    assert.match(discord.secret.what, /Public Key/);
    assert.deepEqual(items.find((item) => item.name === 'trello')!.accepts, ['publicUrl']);
  });

  it('needs an API key', async () => {
    assert.equal((await h.request().get('/api/v1/presets')).status, 401);
  });
});

describe('README preset table', () => {
  it('is the table the preset data generates (run `npm run presets:readme` after changing a preset)', () => {
    const readme = fs.readFileSync(README, 'utf8');
    assert.equal(readme, withPresetTable(readme), 'README.md is out of date: run npm run presets:readme');
    const table = readme.slice(readme.indexOf(README_TABLE_START), readme.indexOf(README_TABLE_END));
    for (const provider of PRESET_PROVIDERS) assert.ok(table.includes(`| \`${provider}\` |`), provider);
  });

  it('escapes a pipe in a cell so a row keeps its columns', () => {
    for (const row of presetTableMarkdown().split('\n').slice(2)) assert.equal(row.split(/(?<!\\)\|/).length, 8, row);
  });
});
