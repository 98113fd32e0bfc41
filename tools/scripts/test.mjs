// `npm test`: what the tests need beyond `npm ci` checked first (Chromium for the web app's browser
// tests — installed when this machine can do so unattended, as root with apt-get — and the native
// SQLite module), then every project type-checked, then no import circles in any library's sources
// (tools/scripts/check-cycles.mjs), the code as Prettier prints it (tools/scripts/check-format.mjs),
// then every project's tests through Nx, with the
// settings that make Nx fast and deterministic on small machines (no daemon, plugins in-process, no
// cloud, no replayed cache). Arguments go to `nx run-many` (e.g. `-- --exclude=@sync-patterns/example-web`).
import { spawnSync } from 'node:child_process';
import {
  betterSqlite3Problem,
  canInstallChromium,
  chromiumAdvice,
  findChromium,
  installChromium,
  repo,
} from './prerequisites.mjs';

process.chdir(repo);
const args = process.argv.slice(2);
const env = { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true' };
const WEB_APP = '@sync-patterns/example-web';

function stop(message) {
  console.error(`\nnpm test stopped before running any test.\n\n${message}\n`);
  process.exit(1);
}

/** Whether these `nx run-many` arguments leave the web app (and its browser tests) in the run. */
function runsWebApp() {
  const filters = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, value] = args[i].split(/=(.*)/s);
    if (!['--projects', '-p', '--exclude'].includes(flag)) continue;
    filters.push(`${flag === '-p' ? '--projects' : flag}=${value ?? args[++i] ?? ''}`);
  }
  if (filters.length === 0) return true;
  const shown = spawnSync('npx', ['nx', 'show', 'projects', '--with-target=test', ...filters, '--json'], {
    env,
    encoding: 'utf8',
  });
  try {
    return JSON.parse(shown.stdout.trim().split('\n').pop()).includes(WEB_APP);
  } catch {
    return true; // nx run-many will say what is wrong with the arguments
  }
}

const sqlite = betterSqlite3Problem();
if (sqlite) stop(sqlite);

if (runsWebApp()) {
  let chromium = findChromium(env);
  if (chromium.problem && !chromium.configured && canInstallChromium() && !env['SYNC_PATTERNS_NO_INSTALL']) {
    console.error(`npm test: the web app's browser tests need Chromium, and ${chromium.problem}.`);
    console.error(
      "Installing Debian's Chromium with apt-get, as this runs as root (SYNC_PATTERNS_NO_INSTALL=1 npm test stops here instead):\n",
    );
    const status = installChromium();
    if (status !== 0)
      stop(
        `apt-get exited ${status}: Chromium is not installed, and the web app's browser tests need it. Either\n${chromiumAdvice(env)}`,
      );
    chromium = findChromium(env);
    if (chromium.problem) stop(`apt-get installed chromium, but ${chromium.problem}. Either\n${chromiumAdvice(env)}`);
  }
  if (chromium.problem)
    stop(`The web app's browser tests need Chromium, and ${chromium.problem}.\nEither\n${chromiumAdvice(env)}`);
  // the browser tests read it (apps/example-web/test/browser.ts)
  env['CHROMIUM_PATH'] = chromium.path;
}

const typecheck = spawnSync(process.execPath, ['tools/scripts/typecheck.mjs'], { stdio: 'inherit', env });
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

const cycles = spawnSync(process.execPath, ['tools/scripts/check-cycles.mjs'], { stdio: 'inherit', env });
if (cycles.status !== 0) process.exit(cycles.status ?? 1);

const format = spawnSync(process.execPath, ['tools/scripts/check-format.mjs'], { stdio: 'inherit', env });
if (format.status !== 0) process.exit(format.status ?? 1);

const result = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'test', 'typecheck', '--skip-nx-cache', '--output-style=stream', ...args],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
