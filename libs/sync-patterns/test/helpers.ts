import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';

export const WORKSPACE = path.resolve(__dirname, '../../..');
export const EXAMPLE_SPEC = path.join(WORKSPACE, 'apps/example-api/openapi.yaml');

/** A small deterministic generator (mulberry32): the same random edits on every machine. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `sp-${prefix}-`));
}

/** Every file under `dir` (relative path → content), for byte-for-byte comparisons. */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string) => {
    for (const name of readdirSync(path.join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else out[rel] = readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

/**
 * Type-checks generated libraries with the real compiler under `strict` (plus the unused-code
 * checks many projects turn on), resolving the runtime and peer packages from this workspace.
 * Returns the compiler's diagnostics, empty when clean.
 */
export function typecheck(dirs: string[]): string {
  try {
    execFileSync(process.execPath, tscArgs(dirs), {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return '';
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || String(error);
  }
}

/** As `typecheck`, in a child process that does not block this one (to check several at once). */
export function typecheckAsync(dirs: string[]): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, tscArgs(dirs), {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve(code === 0 ? '' : output.trim() || `tsc exited with ${code}`));
  });
}

function tscArgs(dirs: string[]): string[] {
  const root = tempDir('tsc');
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node10',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      jsx: 'react-jsx',
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      noImplicitOverride: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['jest', 'node'],
      typeRoots: [path.join(WORKSPACE, 'node_modules/@types')],
      baseUrl: WORKSPACE,
      paths: {
        '@sync-patterns/runtime': ['libs/runtime/src/index.ts'],
        '@sync-patterns/runtime/live': ['libs/runtime/src/live.ts'],
        '@sync-patterns/runtime/sqlite': ['libs/runtime/src/sqlite.ts'],
        '@sync-patterns/runtime/mock': ['libs/runtime/src/mock.ts'],
        '*': ['node_modules/*'],
      },
    },
    include: dirs.map((d) => path.join(d, '**/*.ts')),
  };
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(config));
  // the largest outputs (graph-beta: 856 libraries in one program) need more than 3 GB
  return ['--max-old-space-size=6144', path.join(WORKSPACE, 'node_modules/typescript/bin/tsc'), '-p', root];
}

export interface GeneratedTestRun {
  ok: boolean;
  /** Number of tests that passed, from jest's JSON report. */
  passed: number;
  failed: number;
  output: string;
  /** Per test file: its path, its counts and the full names of its failing tests. */
  files: { path: string; passed: number; failed: number; failures: string[]; error?: string }[];
}

/**
 * Runs the tests generated into `dir` with jest and ts-jest, in a process of their own, resolving
 * the runtime and peer packages from this workspace — as a user's project would run them.
 */
export function runGeneratedTests(dir: string, options: { roots?: string[] } = {}): GeneratedTestRun {
  const root = tempDir('jest');
  const tsconfig = path.join(root, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        moduleResolution: 'node10',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        jsx: 'react-jsx',
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        isolatedModules: true,
        types: ['jest', 'node'],
      },
    }),
  );
  const config = {
    rootDir: path.resolve(dir),
    // a batch of output folders under `dir` (the corpus runs many in one jest)
    ...(options.roots ? { roots: options.roots.map((r) => path.resolve(r)) } : {}),
    testEnvironment: 'node',
    testMatch: ['**/*.spec.ts'],
    // Types are checked by `typecheck`; here ts-jest only transpiles.
    transform: {
      '^.+\\.tsx?$': [require.resolve('ts-jest'), { tsconfig, diagnostics: false }],
      // as the generated libraries' jest config: TanStack DB and MSW require ESM-only packages
      '^.+\\.m?js$': [
        require.resolve('ts-jest'),
        {
          tsconfig: {
            allowJs: true,
            module: 'commonjs',
            isolatedModules: true,
          },
          diagnostics: false,
        },
      ],
    },
    transformIgnorePatterns: [
      'node_modules/(?!(?:.*node_modules/)?(?:fractional-indexing|rettime|until-async|@open-draft/deferred-promise)/)',
    ],
    moduleNameMapper: {
      '^@sync-patterns/runtime$': path.join(WORKSPACE, 'libs/runtime/src/index.ts'),
      '^@sync-patterns/runtime/live$': path.join(WORKSPACE, 'libs/runtime/src/live.ts'),
      '^@sync-patterns/runtime/sqlite$': path.join(WORKSPACE, 'libs/runtime/src/sqlite.ts'),
      '^@sync-patterns/runtime/mock$': path.join(WORKSPACE, 'libs/runtime/src/mock.ts'),
    },
    moduleDirectories: ['node_modules', path.join(WORKSPACE, 'node_modules')],
    cacheDirectory: path.join(WORKSPACE, 'tmp', 'jest-generated-cache'),
  };
  const configFile = path.join(root, 'jest.config.json');
  const report = path.join(root, 'report.json');
  writeFileSync(configFile, JSON.stringify(config));
  const jest = spawnSync(
    process.execPath,
    [
      path.join(WORKSPACE, 'node_modules/jest/bin/jest.js'),
      '--config',
      configFile,
      '--ci',
      '--forceExit',
      `--maxWorkers=${availableParallelism()}`,
      '--json',
      '--outputFile',
      report,
    ],
    {
      encoding: 'utf8',
      cwd: root,
    },
  );
  const output = `${jest.stdout ?? ''}${jest.stderr ?? ''}`;
  type Report = {
    success: boolean;
    numPassedTests: number;
    numFailedTests: number;
    testResults?: { name: string; message?: string; assertionResults: { status: string; fullName: string }[] }[];
  };
  const json = ((): Report => {
    try {
      return JSON.parse(readFileSync(report, 'utf8')) as Report;
    } catch {
      return { success: false, numPassedTests: 0, numFailedTests: 0 };
    }
  })();
  return {
    ok: json.success,
    passed: json.numPassedTests,
    failed: json.numFailedTests,
    output,
    files: (json.testResults ?? []).map((file) => {
      const failures = file.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName);
      // a file that fails before its tests run (a module that does not load) has no assertions
      const error = !file.assertionResults.length && file.message ? file.message.slice(0, 2000) : undefined;
      return {
        path: file.name,
        passed: file.assertionResults.filter((a) => a.status === 'passed').length,
        failed: failures.length + (error ? 1 : 0),
        failures,
        ...(error ? { error } : {}),
      };
    }),
  };
}
