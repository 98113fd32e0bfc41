// What the tests need beyond `npm ci`, found (or obtained) before anything runs: shared by
// `npm test` (tools/scripts/test.mjs), `npm run setup` (tools/scripts/setup.mjs) and .ci/run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export const repo = path.resolve(import.meta.dirname, '../..');

/** Where the example web app's browser tests look (apps/example-web/test/browser.ts): CHROMIUM_PATH, else this. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_COMMANDS = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

const executable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function onPath(command, env = process.env) {
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, command))) return path.join(dir, command);
  }
  return undefined;
}

/**
 * The Chromium the browser tests will drive: `{ path }`, or `{ problem }` completing "the browser
 * tests need Chromium, and …". A CHROMIUM_PATH that names nothing is a problem of its own (no
 * other browser is taken instead).
 */
export function findChromium(env = process.env) {
  const configured = env['CHROMIUM_PATH'];
  if (configured) {
    return executable(configured)
      ? { path: configured }
      : { problem: `CHROMIUM_PATH is ${configured}, which is not an executable file`, configured: true };
  }
  if (executable(DEFAULT_CHROMIUM)) return { path: DEFAULT_CHROMIUM };
  for (const command of CHROMIUM_COMMANDS) {
    const found = onPath(command, env);
    if (found) return { path: found };
  }
  return {
    problem: `there is none (CHROMIUM_PATH is not set, ${DEFAULT_CHROMIUM} ${existsSync(DEFAULT_CHROMIUM) ? 'is not executable' : 'does not exist'} and none of ${CHROMIUM_COMMANDS.join(', ')} is on PATH)`,
  };
}

const isRoot = () => process.getuid?.() === 0;

/** How this machine can install Chromium without asking anything: as root, with apt-get. */
export const canInstallChromium = () => isRoot() && Boolean(onPath('apt-get'));

/** What to run to get Chromium here, as lines a user can paste. */
export function chromiumAdvice(env = process.env) {
  const sudo = isRoot() ? '' : 'sudo ';
  return [
    ...(env['CHROMIUM_PATH']
      ? [
          `set CHROMIUM_PATH to a Chromium or Chrome executable, or unset it (then ${DEFAULT_CHROMIUM} or chromium on PATH is used)`,
        ]
      : []),
    onPath('apt-get')
      ? `install Debian's Chromium:  ${sudo}apt-get update && ${sudo}apt-get install -y chromium   (npm run setup does the same)`
      : "install Chromium or Chrome with your system's package manager",
    'or point the tests at a Chromium or Chrome you have:  CHROMIUM_PATH=/path/to/chromium npm test',
    "or run every test but the web app's:  npm test -- --exclude=@sync-patterns/example-web",
  ]
    .map((line) => `  - ${line}`)
    .join('\n');
}

/** apt-get update + install -y chromium, its progress on the terminal; sudo when not root. Returns the exit status. */
export function installChromium() {
  const sudo = isRoot() ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['apt-get', 'update'],
    ['apt-get', 'install', '-y', 'chromium'],
  ]) {
    const command = [...sudo, ...args];
    console.error(`$ ${command.join(' ')}`);
    const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit', env });
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

/**
 * better-sqlite3 (the live-mode tests' SQLite) is a native module: `npm ci` builds it, or fetches a
 * prebuilt binary. Undefined when it loads, else what is wrong and how to fix it.
 */
export function betterSqlite3Problem() {
  const require = createRequire(path.join(repo, 'package.json'));
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return undefined;
  } catch (error) {
    const reason = String(error?.message ?? error).split('\n')[0];
    const headers = existsSync('/usr/include/node/node.h') ? 'npm_config_nodedir=/usr ' : '';
    return [
      `better-sqlite3 does not load (${reason}).`,
      `Rebuild it for this Node (${process.version}):  ${headers}npm rebuild better-sqlite3   (npm run setup does the same)`,
      ...(headers
        ? [
            '(npm_config_nodedir=/usr builds against the Node headers in /usr/include/node, for machines that cannot download a prebuilt binary from GitHub or headers from nodejs.org)',
          ]
        : []),
    ].join('\n');
  }
}

/** `npm rebuild better-sqlite3`, against /usr/include/node's headers when npm has no nodedir of its own. */
export function rebuildBetterSqlite3() {
  const env = { ...process.env };
  const configured = spawnSync('npm', ['config', 'get', 'nodedir'], { encoding: 'utf8' }).stdout?.trim();
  if ((!configured || configured === 'undefined' || configured === 'null') && existsSync('/usr/include/node/node.h'))
    env['npm_config_nodedir'] = '/usr';
  console.log(
    `$ ${env['npm_config_nodedir'] ? `npm_config_nodedir=${env['npm_config_nodedir']} ` : ''}npm rebuild better-sqlite3`,
  );
  return (
    spawnSync('npm', ['rebuild', 'better-sqlite3', '--foreground-scripts'], { cwd: repo, stdio: 'inherit', env })
      .status ?? 1
  );
}
