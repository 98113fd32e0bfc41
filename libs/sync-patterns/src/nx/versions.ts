/**
 * What `init` adds to a workspace so the generated libraries build, test and run. The same set this
 * repository tests the generated code with; existing entries in the workspace are kept.
 */
export const RUNTIME_DEPENDENCIES = {
  '@tanstack/react-query': '5.108.0',
  react: '19.3.1',
  zod: '4.6.7',
  // live mode
  '@tanstack/react-db': '0.5.11',
  '@tanstack/electric-db-collection': '0.4.10',
  '@electric-sql/client': '1.5.28',
};

/**
 * Each TanStack package pins its own exact @tanstack/db; two copies in one app break live
 * collections at runtime and in `tsc --strict`, so init forces one.
 */
export const OVERRIDES = { '@tanstack/db': '0.15.2' };

export const DEV_DEPENDENCIES = {
  jest: '30.5.2',
  'ts-jest': '29.4.15',
  '@types/jest': '30.0.0',
  // live hooks import react itself (push hooks only through TanStack Query)
  '@types/react': '19.3.0',
  typescript: '5.9.3',
  // the libraries' testing entries (fake data + request handlers); 2.x still ships CommonJS for jest
  msw: '2.15.0',
};

/** The runtime the generated code imports is released together with the generator, at its version. */
export function runtimePackage(): Record<string, string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('sync-patterns/package.json') as {
    version: string;
  };
  return { '@sync-patterns/runtime': version };
}
