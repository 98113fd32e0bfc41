import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const WORKSPACE = path.resolve(__dirname, '../../..');
export const EXAMPLE_SPEC = path.join(WORKSPACE, 'apps/example-api/openapi.yaml');

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
      paths: { '@sync-patterns/runtime': ['libs/runtime/src/index.ts'], '*': ['node_modules/*'] },
    },
    include: dirs.map((d) => path.join(d, '**/*.ts')),
  };
  writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify(config));
  try {
    execFileSync(process.execPath, [path.join(WORKSPACE, 'node_modules/typescript/bin/tsc'), '-p', root], { encoding: 'utf8', stdio: 'pipe' });
    return '';
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return `${e.stdout ?? ''}${e.stderr ?? ''}`.trim() || String(error);
  }
}
