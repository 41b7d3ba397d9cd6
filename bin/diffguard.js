#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is built into out/main/cli.js by `npm install` (the "prepare" script).
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'out', 'main', 'cli.js');
if (!existsSync(entry)) {
  process.stderr.write(
    'diffguard: the CLI has not been built yet (' + entry + ' is missing). Run `npm install` or `npm run build` in the project folder.\n',
  );
  process.exit(1);
}
require(entry);
