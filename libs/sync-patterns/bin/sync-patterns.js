#!/usr/bin/env node
// The published package runs its compiled CLI; inside this repository the TypeScript sources run
// directly through @swc-node/register, so no build step sits between an edit and a run.
// V8's compile cache (Node 22.1+; a no-op before): from the second run on, this CLI's modules and
// TypeScript's are not parsed and compiled again — about 80 ms of every start. It lives where Node
// keeps it by default (the OS temp directory); NODE_DISABLE_COMPILE_CACHE=1 turns it off.
require('node:module').enableCompileCache?.();
const { existsSync } = require('node:fs');
const path = require('node:path');
const compiled = path.join(__dirname, '..', 'src', 'cli', 'main.js');
// stdout to a pipe is written asynchronously: exit only once what was printed (a --json document of
// a large spec, far past the pipe's 64 KiB) has been handed over, or the reader gets it cut
const exit = (code) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
if (existsSync(compiled)) {
  require(compiled).main(process.argv.slice(2)).then(exit);
} else {
  require('@swc-node/register');
  require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'))
    .main(process.argv.slice(2))
    .then(exit);
}
