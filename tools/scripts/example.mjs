// `npm run example`: the main job on the bundled example. Validates the example API's annotated
// OpenAPI document, generates its libraries, checks they are up to date, then starts the example
// API (embedded Postgres, no setup) and reads and writes through the generated code.
// `npm run example -- --serve` keeps the API running afterwards.
import { spawnSync } from 'node:child_process';

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const out = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'tmp/example/example-api';
const cli = 'libs/sync-patterns/bin/sync-patterns.js';
const run = (...args) => {
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run(cli, 'validate', '--spec', 'apps/example-api/openapi.yaml');
run(cli, 'generate', '--spec', 'apps/example-api/openapi.yaml', '--out', out);
run(cli, 'check', '--spec', 'apps/example-api/openapi.yaml', '--out', out, '--quiet');
console.log(`\nGenerated libraries are in ${out}: core/ plus one folder per model (import from <model>/src).`);
run('-r', '@swc-node/register', 'tools/scripts/example-tour.ts', out, ...flags);
