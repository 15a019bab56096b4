#!/usr/bin/env node
// The `hookport` command: compiles lib/ first when dist/ is missing or stale
// (a clone), then runs the CLI (lib/cli/index.ts).
'use strict';
const { ensureBuilt } = require('../scripts/build-if-stale.js');

ensureBuilt();
require('../dist/lib/cli/index.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
