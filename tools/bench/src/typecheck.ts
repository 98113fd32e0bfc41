import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * `tsc --noEmit` over one tool's output, with the same settings for every tool: strict, bundler
 * resolution (what apps use), libraries' own .d.ts skipped, packages resolved from the workspace (outputs live under its tmp/).
 */
export function typecheckArgs(root: string, dir: string): { script: string; args: string[] } {
  const config = path.join(dir, '..', `tsconfig.bench-${path.basename(dir)}.json`);
  mkdirSync(path.dirname(config), { recursive: true });
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        jsx: 'react-jsx',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        esModuleInterop: true,
        types: ['jest', 'node'],
        typeRoots: [path.join(root, 'node_modules/@types')],
        baseUrl: root,
        paths: {
          '@sync-patterns/runtime': ['libs/runtime/src/index.ts'],
          '@sync-patterns/runtime/live': ['libs/runtime/src/live.ts'],
          '@sync-patterns/runtime/sqlite': ['libs/runtime/src/sqlite.ts'],
          '@sync-patterns/runtime/mock': ['libs/runtime/src/mock.ts'],
        },
      },
      include: [path.join(dir, '**/*.ts'), path.join(dir, '**/*.tsx')],
    }),
  );
  return { script: path.join(root, 'node_modules/typescript/bin/tsc'), args: ['-p', config] };
}
