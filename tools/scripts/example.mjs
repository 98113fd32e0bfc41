// `npm run example`: the main job on the bundled example — generate the example API's libraries
// from its annotated OpenAPI document, then list what was generated.
import { spawnSync } from 'node:child_process';

const out = process.argv[2] ?? 'tmp/example/example-api';
const cli = 'libs/sync-patterns/bin/sync-patterns.js';
const run = (...args) => {
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
run('validate', '--spec', 'apps/example-api/openapi.yaml');
run('generate', '--spec', 'apps/example-api/openapi.yaml', '--out', out);
run('check', '--spec', 'apps/example-api/openapi.yaml', '--out', out, '--quiet');
console.log(`\nGenerated libraries are in ${out}: core/ plus one folder per model (import from <model>/src).`);
