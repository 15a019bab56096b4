#!/usr/bin/env node
/**
 * Runs before `npm start` and the `hookport` command: compiles lib/ and plugins/
 * (tsconfig.build.json) only when dist/ is missing a file or holds one older than
 * its source, so a start with nothing changed does not wait for the compiler.
 * TypeScript and the type packages the build needs are production dependencies,
 * so `npm ci --omit=dev && npm start` works on a clean clone.
 *
 * Plain JavaScript on purpose: it has to run before anything is compiled.
 * `--check` only reports (exit 0 up to date, 2 stale) and builds nothing.
 * Where there are no sources (an image that ships only dist/), there is nothing to do.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const SOURCE_DIRS = ['lib', 'plugins'];

/** The first source whose compiled file is missing or older than it, or null. */
function firstStale() {
  for (const dir of SOURCE_DIRS) {
    const stack = [path.join(root, dir)];
    while (stack.length > 0) {
      const current = stack.pop();
      let entries;
      try {
        entries = fs.readdirSync(current, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        const full = path.join(current, entry.name);
        if (entry.isDirectory()) stack.push(full);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
          const compiled = path.join(root, 'dist', path.relative(root, full)).replace(/\.ts$/, '.js');
          let compiledAt;
          try {
            compiledAt = fs.statSync(compiled).mtimeMs;
          } catch {
            return path.relative(root, full);
          }
          if (fs.statSync(full).mtimeMs > compiledAt) return path.relative(root, full);
        }
      }
    }
  }
  return null;
}

/** Compiles when stale; exits the process when TypeScript is missing or the compile fails. */
function ensureBuilt() {
  const stale = firstStale();
  if (!stale) return;
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  } catch {
    process.stderr.write(`hookport: dist/ is out of date (${stale}) and TypeScript is not installed: run npm ci, then npm start\n`);
    process.exit(1);
  }
  process.stderr.write(`hookport: compiling TypeScript (${stale} changed since the last build)…\n`);
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

module.exports = { firstStale, ensureBuilt };

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const stale = firstStale();
    process.stdout.write(stale ? `stale: ${stale}\n` : 'up to date\n');
    process.exit(stale ? 2 : 0);
  }
  ensureBuilt();
}
