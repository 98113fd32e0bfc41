// `npm run typecheck`: every project's sources and tests under strict. Jest transpiles without
// type-checking (isolatedModules, for speed), so this is where type errors are caught.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

process.chdir(path.resolve(import.meta.dirname, '../..'));
const configs = ['libs', 'apps']
  .flatMap((dir) => readdirSync(dir).map((name) => path.join(dir, name, 'tsconfig.spec.json')))
  .concat('tools/bench/tsconfig.spec.json')
  .filter((file) => existsSync(file))
  .sort();
// The example's end-to-end tests import libraries generated with Todo in push and in live mode.
const variant = spawnSync(
  process.execPath,
  [
    '-r',
    '@swc-node/register',
    '-e',
    "require('./apps/example-e2e/test/mode-variants.ts').generateModeVariants().catch((e) => { console.error(e); process.exit(1); })",
  ],
  { stdio: 'inherit' },
);
if (variant.status !== 0) process.exit(variant.status ?? 1);
let failed = 0;
for (const config of configs) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', config], {
    stdio: 'inherit',
  });
  console.log(
    `typecheck ${path.dirname(config)}: ${result.status === 0 ? 'ok' : 'FAILED'} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
