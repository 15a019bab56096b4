import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ConfigError, loadConfig } from '../lib/config';
import { tempDir } from './helpers/harness';

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({ env: {} });
    assert.equal(config.port, 8080);
    assert.equal(config.dataDir, path.resolve('data'));
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.debug.retentionHours, 24);
    assert.equal(config.debug.maxEntries, 10_000);
    assert.ok(Object.isFrozen(config));
  });

  it('lets config/<NODE_ENV>.json override default.json and the environment override both', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'default.json'), fs.readFileSync(path.resolve(__dirname, '../../config/default.json')));
    fs.writeFileSync(path.join(dir, 'staging.json'), JSON.stringify({ port: 9000, debug: { maxEntries: 50 } }));
    const fromFile = loadConfig({ env: { NODE_ENV: 'staging' }, configDir: dir });
    assert.equal(fromFile.port, 9000);
    assert.equal(fromFile.debug.maxEntries, 50);
    assert.equal(fromFile.debug.retentionHours, 24, 'siblings of an overridden key keep their default');
    const fromEnv = loadConfig({ env: { NODE_ENV: 'staging', PORT: '9100', HOOKPORT__debug__maxEntries: '7', HOOKPORT_PUBLIC_URL: 'https://in.example.com/' }, configDir: dir });
    assert.equal(fromEnv.port, 9100);
    assert.equal(fromEnv.debug.maxEntries, 7);
    assert.equal(fromEnv.publicUrl, 'https://in.example.com');
    fs.rmSync(dir, { recursive: true });
  });

  it('names the bad key, what is allowed and where it came from', () => {
    assert.throws(() => loadConfig({ env: { PORT: 'eighty' } }), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /port/);
      assert.match(error.message, /0 to 65535/);
      assert.match(error.message, /environment variable PORT/);
      return true;
    });
    assert.throws(() => loadConfig({ env: { HOOKPORT_SECRET_KEY: 'short' } }), /secretKey .*base64 of exactly 32 bytes/s);
    assert.throws(() => loadConfig({ env: { LOG_LEVEL: 'loud' } }), /log\.level .*"info"/s);
    assert.throws(() => loadConfig({ env: {}, overrides: { colour: 'blue' } }), /colour is not an allowed field/);
  });

  it('stops the server at start-up with the message and a non-zero exit', () => {
    const result = spawnSync(process.execPath, [path.resolve(__dirname, '../lib/server.js')], {
      env: { ...process.env, NODE_ENV: 'test', PORT: 'not-a-port', DATA_DIR: tempDir() },
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.notEqual(result.status, 0);
    assert.match(result.stderr, /Invalid configuration:\n\s+port/);
  });
});
