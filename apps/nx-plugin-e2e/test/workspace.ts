import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO = path.resolve(__dirname, '../../..');

export interface Run {
  status: number;
  output: string;
}

const progress = (line: string) => process.stderr.write(`[nx-plugin-e2e] ${line}\n`);

/** Runs a command to completion; the combined output is kept for assertions and failure messages. */
export function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): Run {
  const started = Date.now();
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  progress(`${command} ${args.join(' ')} → ${result.status} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return {
    status: result.status ?? 1,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}

/** Like `run`, but a failure throws with the command's output, so the test says what went wrong. */
export function ok(cwd: string, command: string, args: string[], env: Record<string, string> = {}): string {
  const result = run(cwd, command, args, env);
  if (result.status !== 0)
    throw new Error(`\`${command} ${args.join(' ')}\` exited ${result.status}:\n${result.output}`);
  return result.output;
}

/** The two packages a user installs, as `npm run pack` (the README's command) makes them. */
export interface Packed {
  dir: string;
  plugin: string;
  runtime: string;
  /** The line `npm run pack` prints for the user to run in their workspace. */
  installLine: string;
}

/** Where global-setup.ts leaves the one packing of an e2e run for every test file. */
export const PACKED_ENV = 'SYNC_PATTERNS_E2E_PACKED';

/** Runs `npm run pack -- --out <dir>` and reads the tarballs and the install line from what it prints. */
export function packPackages(into = mkdtempSync(path.join(os.tmpdir(), 'sp-pack-'))): Packed {
  const out = ok(REPO, 'npm', ['run', '--silent', 'pack', '--', '--out', into]);
  const lines = out.split('\n').map((line) => line.trim());
  const tarball = (name: string) => {
    const file = lines.find((line) => line === path.join(into, name));
    if (!file) throw new Error(`npm run pack printed no ${name}:\n${out}`);
    return file;
  };
  const installLine = lines.find((line) => line.startsWith('npm i -D '));
  if (!installLine) throw new Error(`npm run pack printed no install line:\n${out}`);
  const version = (
    JSON.parse(readFileSync(path.join(REPO, 'libs/sync-patterns/package.json'), 'utf8')) as { version: string }
  ).version;
  return {
    dir: into,
    plugin: tarball(`sync-patterns-${version}.tgz`),
    runtime: tarball(`sync-patterns-runtime-${version}.tgz`),
    installLine,
  };
}

/** The packing global-setup.ts made for this run (or one of its own when a test file runs alone). */
export function packedPackages(): Packed {
  const shared = process.env[PACKED_ENV];
  return shared ? (JSON.parse(shared) as Packed) : packPackages();
}

/** A git-tracked workspace made of these files, its packages installed. */
export function createWorkspace(prefix: string, files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content.endsWith('\n') ? content : content + '\n');
  }
  // what the tarballs do not hold comes from the npm cache this repository's install filled
  // (package metadata the cache lacks is fetched once)
  ok(root, 'npm', ['install'], NPM_ENV);
  commitAll(root, 'workspace');
  return root;
}

/**
 * A fresh workspace as a user has it before adopting sync-patterns: nx, an `api` project serving
 * the example spec, an unrelated `other` library,
 * and git history (nx affected needs it). No tsconfig.base.json: init creates it.
 */
export function freshWorkspace(packages: { plugin: string; runtime: string }): string {
  return createWorkspace('sp-nx-e2e-', {
    'package.json': JSON.stringify(
      {
        name: '@acme/source',
        version: '0.0.0',
        private: true,
        devDependencies: {
          nx: '23.2.1',
          'sync-patterns': `file:${packages.plugin}`,
          jest: '30.5.2',
          'ts-jest': '29.4.15',
          '@types/jest': '30.0.0',
          typescript: '5.9.3',
        },
        dependencies: {
          '@sync-patterns/runtime': `file:${packages.runtime}`,
          '@tanstack/react-query': '5.108.0',
          react: '19.3.1',
          zod: '4.6.7',
        },
      },
      null,
      2,
    ),
    'nx.json': JSON.stringify({ neverConnectToCloud: true, defaultBase: 'main' }, null, 2),
    '.gitignore': 'node_modules\n.nx\n',
    'apps/api/project.json': JSON.stringify({ name: 'api', projectType: 'application', targets: {} }, null, 2),
    'apps/api/openapi.yaml': readFileSync(path.join(REPO, 'apps/example-api/openapi.yaml'), 'utf8'),
    'libs/other/project.json': JSON.stringify({ name: 'other', projectType: 'library', targets: {} }, null, 2),
    'libs/other/src/index.ts': 'export const other = 1;\n',
  });
}

export function commitAll(root: string, message: string): void {
  const git = (...args: string[]) => ok(root, 'git', args);
  if (run(root, 'git', ['rev-parse', '--git-dir']).status !== 0) {
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'e2e@sync-patterns.local');
    git('config', 'user.name', 'e2e');
  }
  git('add', '-A');
  git('commit', '-q', '-m', message);
}

/** Nx as CI runs it: no daemon, plugins in-process, no cloud. */
export const NX_ENV = {
  FORCE_COLOR: '0',
  NO_COLOR: '1',
  NX_DAEMON: 'false',
  NX_ISOLATE_PLUGINS: 'false',
  NX_NO_CLOUD: 'true',
  CI: 'true',
  NX_INTERACTIVE: 'false',
};

/** npm as the e2e runs it, here and in the installs generators start: quiet, from the cache first. */
export const NPM_ENV = {
  npm_config_prefer_offline: 'true',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_loglevel: 'error',
  npm_config_update_notifier: 'false',
};

export function nx(root: string, ...args: string[]): Run {
  return run(root, path.join(root, 'node_modules/.bin/nx'), args, { ...NPM_ENV, ...NX_ENV });
}

export function nxOk(root: string, ...args: string[]): string {
  const result = nx(root, ...args);
  if (result.status !== 0) throw new Error(`\`nx ${args.join(' ')}\` exited ${result.status}:\n${result.output}`);
  return result.output;
}

export function write(root: string, file: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), content);
}

export function edit(root: string, file: string, change: (text: string) => string): void {
  const full = path.join(root, file);
  const before = readFileSync(full, 'utf8');
  const after = change(before);
  if (after === before) throw new Error(`edit of ${file} changed nothing`);
  writeFileSync(full, after);
}
