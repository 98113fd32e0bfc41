// `npm run soak`: the outbox's crash schedules (apps/example-e2e/test/outbox-schedule.e2e.spec.ts)
// run long — many more drawn schedules (live and push devices) of writes, SIGKILLs, stream lag, lost answers and API
// crashes than `npm test` runs. `-- --runs N --seed S` to choose; the counts print at the end.
// With DATABASE_URL set, the example API runs on that PostgreSQL server instead of PGlite.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

process.chdir(path.resolve(import.meta.dirname, '../..'));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '150' }, seed: { type: 'string', default: '20261207' } },
});
console.log(
  `[soak] ${values.runs} schedules of each mode (live, push), seed ${values.seed}${process.env.DATABASE_URL ? ', PostgreSQL server' : ', PGlite'}`,
);
const result = spawnSync(
  process.execPath,
  [
    'node_modules/jest/bin/jest.js',
    '-c',
    'apps/example-e2e/jest.config.ts',
    'apps/example-e2e/test/outbox-schedule.e2e.spec.ts',
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, SYNC_PATTERNS_SOAK_RUNS: values.runs, SYNC_PATTERNS_SOAK_SEED: values.seed },
  },
);
process.exit(result.status ?? 1);
