import * as path from 'node:path';

/** One code generator as the bench runs it: the script Node runs and its arguments for a spec and an output folder. */
export interface Generator {
  id: string;
  label: string;
  script: string;
  args(spec: string, out: string): string[];
  /** The folder holding what it wrote, to type-check. */
  outputDir(out: string): string;
}

export function generators(root: string, bench: string): Generator[] {
  return [
    {
      id: 'sync-patterns',
      label: 'sync-patterns (push, --all-models)',
      // the built package, as users run it (inside the repository the CLI would transpile its sources first)
      script: path.join(root, 'dist/libs/sync-patterns/bin/sync-patterns.js'),
      args: (spec, out) => ['generate', '--spec', spec, '--out', out, '--all-models', '--quiet'],
      outputDir: (out) => out,
    },
    {
      id: 'openapi-typescript',
      label: 'openapi-typescript (types only)',
      script: path.join(root, 'node_modules/openapi-typescript/bin/cli.js'),
      args: (spec, out) => [spec, '--output', path.join(out, 'schema.ts')],
      outputDir: (out) => out,
    },
    {
      id: 'orval',
      label: 'Orval (react-query)',
      script: path.join(bench, 'node_modules/orval/dist/bin/orval.mjs'),
      args: (spec, out) => ['--input', spec, '--output', path.join(out, 'api.ts'), '--client', 'react-query'],
      outputDir: (out) => out,
    },
    {
      id: 'hey-api',
      label: 'Hey API (@tanstack/react-query)',
      script: path.join(bench, 'node_modules/@hey-api/openapi-ts/bin/run.js'),
      args: (spec, out) => [
        '--input',
        spec,
        '--output',
        out,
        '--plugins',
        '@hey-api/typescript',
        '@hey-api/sdk',
        '@tanstack/react-query',
      ],
      outputDir: (out) => out,
    },
  ];
}
