#!/usr/bin/env node
// The published package runs its compiled CLI; inside this repository the TypeScript sources run
// directly through @swc-node/register, so no build step sits between an edit and a run.
const { existsSync } = require('node:fs');
const path = require('node:path');
const compiled = path.join(__dirname, '..', 'src', 'cli', 'main.js');
if (existsSync(compiled)) {
  require(compiled).main(process.argv.slice(2)).then((code) => process.exit(code));
} else {
  require('@swc-node/register');
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts')).main(process.argv.slice(2)).then((code) => process.exit(code));
}
