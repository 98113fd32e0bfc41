// `npm test`: every project type-checked, then every project's tests through Nx, with the settings that make Nx fast and
// deterministic on small machines (no daemon, plugins in-process, no cloud, no replayed cache).
import { spawnSync } from 'node:child_process';

const typecheck = spawnSync(process.execPath, ['tools/scripts/typecheck.mjs'], { stdio: 'inherit' });
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

const env = { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true' };
const args = ['nx', 'run-many', '-t', 'test', 'typecheck', '--skip-nx-cache', '--output-style=stream', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
