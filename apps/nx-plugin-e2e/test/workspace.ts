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
  if (result.status !== 0) throw new Error(`\`${command} ${args.join(' ')}\` exited ${result.status}:\n${result.output}`);
  return result.output;
}

/** The two packages a user installs, built and packed from this repository. */
export function packPackages(): {
  plugin: string;
  runtime: string;
  dir: string;
} {
  const into = mkdtempSync(path.join(os.tmpdir(), 'sp-pack-'));
  const pack = (lib: string) => {
    ok(REPO, process.execPath, ['tools/scripts/build-package.mjs', lib]);
    const out = ok(REPO, 'npm', ['pack', path.join('dist', lib), '--pack-destination', into, '--json', '--silent']);
    const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as {
      filename: string;
    }[];
    return path.join(into, filename);
  };
  return {
    plugin: pack('libs/sync-patterns'),
    runtime: pack('libs/runtime'),
    dir: into,
  };
}

/**
 * A fresh workspace as a user has it before adopting sync-patterns: nx, an `api` project serving
 * the example spec, an unrelated `other` library,
 * and git history (nx affected needs it). No tsconfig.base.json: init creates it.
 */
export function freshWorkspace(packages: { plugin: string; runtime: string }): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'sp-nx-e2e-'));
  const files: Record<string, string> = {
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
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content.endsWith('\n') ? content : content + '\n');
  }
  // The two sync-patterns packages come from their tarballs; the rest from the npm cache this
  // repository's install filled (package metadata the cache lacks is fetched once).
  ok(root, 'npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']);
  commitAll(root, 'workspace');
  return root;
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

export function nx(root: string, ...args: string[]): Run {
  return run(root, path.join(root, 'node_modules/.bin/nx'), args, NX_ENV);
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
