import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { createWorkspace, NPM_ENV, nx, nxOk, ok, packedPackages, REPO, type Packed } from './workspace';

/**
 * A new user's first hour, as the README tells it: the packages from `npm run pack` installed with
 * the line it prints into a workspace that has only Nx, then init, model --all and
 * `nx run-many -t test typecheck`, on a spec of their own rather than the example API — a live
 * Note with an optional, nullable enum `color`, a push Tag whose integer id the client chooses
 * (POST /tags takes it in the body), a cache TagUsage — once in OpenAPI 3.0 syntax (`api30`,
 * `nullable: true`) and once in 3.1 (`api31`, `type: [string, 'null']`), side by side.
 */
const APIS = { api30: 'notes-3.0.yaml', api31: 'notes-3.1.yaml' } as const;
const API_NAMES = Object.keys(APIS) as (keyof typeof APIS)[];
const perApi = (...libs: string[]) => API_NAMES.flatMap((api) => libs.map((lib) => `${api}-${lib}`)).sort();

let root: string;
let packed: Packed;

beforeAll(() => {
  packed = packedPackages();
  const files: Record<string, string> = {
    'package.json': JSON.stringify(
      { name: '@notes/source', version: '0.0.0', private: true, devDependencies: { nx: '23.2.1' } },
      null,
      2,
    ),
    'nx.json': JSON.stringify({ neverConnectToCloud: true, defaultBase: 'main' }, null, 2),
    '.gitignore': 'node_modules\n.nx\n',
  };
  for (const [api, spec] of Object.entries(APIS)) {
    files[`apps/${api}/project.json`] = JSON.stringify({ name: api, projectType: 'application', targets: {} }, null, 2);
    files[`apps/${api}/openapi.yaml`] = readFileSync(path.join(REPO, 'apps/nx-plugin-e2e/test/fixtures', spec), 'utf8');
  }
  root = createWorkspace('sp-newcomer-', files);
});

afterAll(() => {
  if (root && !process.env['KEEP_E2E_WORKSPACE']) rmSync(root, { recursive: true, force: true });
});

const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const lastJson = <T>(output: string) => JSON.parse(output.trim().split('\n').pop()!) as T;

/** What a failed `nx run-many` says about why: failing suites and tests, type errors, failed tasks. */
function failures(output: string): string {
  const wanted = /^\s*(FAIL\s|●\s(?!Console)|.*error TS\d+:|Failed tasks:|- \S+:(test|typecheck)$)/;
  return output
    .split('\n')
    .filter((line) => wanted.test(line))
    .join('\n');
}

describe('a newcomer: npm run pack, a workspace with only Nx, init, model, test', () => {
  it('installs both packages with the line `npm run pack` printed', () => {
    expect(packed.installLine).toBe(`npm i -D ${packed.plugin} && npm i ${packed.runtime}`);
    ok(root, 'sh', ['-c', packed.installLine], NPM_ENV);
    // npm records the tarballs as paths relative to the workspace
    const pkg = JSON.parse(read('package.json'));
    const tarball = (spec: string) => path.resolve(root, spec.replace(/^file:/, ''));
    expect(tarball(pkg.devDependencies['sync-patterns'])).toBe(packed.plugin);
    expect(tarball(pkg.dependencies['@sync-patterns/runtime'])).toBe(packed.runtime);
  });

  it('init sets up each api, 3.0 and 3.1, and installs what the generated code needs', () => {
    for (const api of API_NAMES) {
      // as the README has it: init installs the packages it adds
      expect(nxOk(root, 'g', 'sync-patterns:init', `--project=${api}`, `--spec=apps/${api}/openapi.yaml`)).toContain(
        `${api}-core`,
      );
    }
    expect(JSON.parse(read('nx.json')).plugins).toEqual(['sync-patterns/plugin']);
    for (const dependency of ['@tanstack/react-db', '@tanstack/react-query', 'zod', 'msw', 'jest', 'typescript']) {
      expect(existsSync(path.join(root, 'node_modules', dependency, 'package.json'))).toBe(true);
    }
  });

  it('model --all makes a live Note, a push Tag and a cache TagUsage library per api, typed alike from 3.0 and 3.1', () => {
    for (const api of API_NAMES) nxOk(root, 'g', 'sync-patterns:model', `--project=${api}`, '--all');
    const tagged = (tag: string) =>
      lastJson<string[]>(nxOk(root, 'show', 'projects', `--projects=tag:${tag}`, '--json')).sort();
    expect(tagged('sync:live')).toEqual(perApi('note'));
    expect(tagged('sync:push')).toEqual(perApi('tag'));
    expect(tagged('sync:cache')).toEqual(perApi('tag-usage'));
    for (const api of API_NAMES) {
      const types = read(`libs/${api}-client/core/src/lib/api.types.ts`);
      // optional and nullable, whichever syntax said so
      expect(types).toContain("color?: 'red' | 'green' | 'blue' | null;");
      // the client's integer key, in the body of POST /tags
      expect(types).toMatch(/Tag: \{\s*(\/\*\*[^]*?\*\/\s*)?id: number;/);
    }
  });

  it('nx run-many -t test typecheck passes: the generated tests and strict types of both apis', () => {
    const result = nx(root, 'run-many', '-t', 'test', 'typecheck', '--skip-nx-cache', '--output-style=static');
    if (result.status !== 0) {
      throw new Error(
        `\`nx run-many -t test typecheck\` exited ${result.status}. What failed:\n${failures(result.output)}\n\nThe whole output:\n${result.output}`,
      );
    }
    expect(result.output).toMatch(/Successfully ran targets? test, typecheck for 8 projects/);
    expect(result.output).toMatch(/Tests:\s+\d+ passed/);
    expect(result.output).not.toMatch(/Tests:.*failed/);
  });
});
