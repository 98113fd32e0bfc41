import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { REPO, commitAll, edit, freshWorkspace, NPM_ENV, nx, nxOk, ok, packedPackages, write } from './workspace';

/**
 * What a user does, in order, in a workspace that installed the packed plugin: init → model →
 * nx test → edit the spec → sync --check (fails, naming the drift) → sync → nx test, with a hand
 * edit that must survive, and nx affected following the spec. One workspace, steps in order.
 */
const LIBS = 'libs/api-client';
const SPEC = 'apps/api/openapi.yaml';
const MODEL_LIBS = ['api-project', 'api-todo', 'api-todo-count', 'api-user'];
const HAND_EDITED = `${LIBS}/todo/src/lib/todo.hooks.ts`;

let root: string;

beforeAll(() => {
  root = freshWorkspace(packedPackages());
});

afterAll(() => {
  if (root && !process.env['KEEP_E2E_WORKSPACE']) rmSync(root, { recursive: true, force: true });
});

const affected = () =>
  JSON.parse(
    nxOk(root, 'show', 'projects', '--affected', '--base=HEAD', '--json').trim().split('\n').pop()!,
  ) as string[];
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the sync-patterns Nx plugin in a fresh workspace', () => {
  it('init registers the plugin, records the spec and creates the core library', () => {
    const out = nxOk(root, 'g', 'sync-patterns:init', '--project=api', `--spec=${SPEC}`, '--skipInstall');
    expect(out).toContain('api-core');
    expect(JSON.parse(read('nx.json')).plugins).toContain('sync-patterns/plugin');
    expect(JSON.parse(read('apps/api/sync-patterns.json'))).toEqual({
      spec: SPEC,
      directory: LIBS,
    });
    // the inferred target is there, with the plugin's executor
    expect(
      JSON.parse(nxOk(root, 'show', 'project', 'api', '--json').trim().split('\n').pop()!).targets.sync.executor,
    ).toBe('sync-patterns:sync');
    // what the generated code needs, with one @tanstack/db forced; installed as a user would
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.dependencies).toMatchObject({
      '@tanstack/react-db': expect.any(String),
      '@tanstack/electric-db-collection': expect.any(String),
      '@electric-sql/client': expect.any(String),
    });
    expect(pkg.overrides).toEqual({ '@tanstack/db': expect.any(String) });
    ok(root, 'npm', ['install'], NPM_ENV);
  });

  it('model --all creates one library per x-sync model, whose test and typecheck targets pass', () => {
    nxOk(root, 'g', 'sync-patterns:model', '--project=api', '--all');
    const tagged = (tag: string) =>
      (
        JSON.parse(
          nxOk(root, 'show', 'projects', `--projects=tag:${tag}`, '--json').trim().split('\n').pop()!,
        ) as string[]
      ).sort();
    expect(tagged('sync:push')).toEqual(['api-project', 'api-user']);
    expect(tagged('sync:live')).toEqual(['api-todo']);
    expect(tagged('sync:cache')).toEqual(['api-todo-count']);
    const out = nxOk(root, 'run-many', '-t', 'test', 'typecheck', '--skip-nx-cache', '--output-style=static');
    expect(out).toMatch(/Successfully ran targets? test, typecheck for 5 projects/);
    expect(out).toMatch(/Tests:\s+\d+ passed/);
    // an app that uses the todo library: a dependent of the generated code
    write(
      root,
      'apps/web/project.json',
      JSON.stringify(
        {
          name: 'web',
          projectType: 'application',
          implicitDependencies: ['api-todo'],
          targets: {},
        },
        null,
        2,
      ) + '\n',
    );
    commitAll(root, 'sync-patterns');
  });

  it('a spec change puts exactly the api, its libraries and their dependents into nx affected', () => {
    edit(root, SPEC, (text) =>
      text.replace(
        'title: { type: string, minLength: 1, maxLength: 200 }',
        'title: { type: string, minLength: 1, maxLength: 300 }',
      ),
    );
    expect(affected().sort()).toEqual(['api', 'api-core', ...MODEL_LIBS, 'web'].sort());
  });

  it('sync --check and nx sync:check fail naming the drift, and change nothing', () => {
    const before = read(`${LIBS}/core/src/lib/validators.ts`);
    const check = nx(root, 'run', 'api:sync', '--check', '--skip-nx-cache');
    expect(check.status).not.toBe(0);
    expect(check.output).toMatch(/api-core \(libs\/api-client\/core\): would be updated/);
    expect(check.output).toContain(`${LIBS}/core/src/lib/validators.ts`);
    const syncCheck = nx(root, 'sync:check');
    expect(syncCheck.status).not.toBe(0);
    expect(syncCheck.output).toContain('sync-patterns:sync');
    expect(read(`${LIBS}/core/src/lib/validators.ts`)).toBe(before);
  });

  it('sync brings the libraries up to date and keeps a hand edit; the tests pass again', () => {
    edit(root, HAND_EDITED, (text) => `${text}\n// kept by hand\n`);
    const out = nxOk(root, 'run', 'api:sync', '--skip-nx-cache');
    expect(out).toMatch(/api-core .*: updated/);
    expect(out).toMatch(/api-todo .*HELD/);
    expect(read(HAND_EDITED)).toContain('// kept by hand');
    expect(read(`${LIBS}/core/src/lib/validators.ts`)).toContain('max(300');
    nxOk(root, 'sync:check');
    expect(nxOk(root, 'run-many', '-t', 'test', 'typecheck', '--skip-nx-cache', '--output-style=static')).toMatch(
      /Successfully ran targets? test, typecheck for 5 projects/,
    );
    // --check still reports the held library until the edit moves out (or --force)
    expect(nx(root, 'run', 'api:sync', '--check', '--skip-nx-cache').output).toMatch(/api-todo .*HELD/);
    commitAll(root, 'synced');
  });

  it('an unrelated change leaves the api and its libraries out of nx affected', () => {
    edit(root, 'libs/other/src/index.ts', (text) => text.replace('= 1', '= 2'));
    expect(affected()).toEqual(['other']);
    ok(root, 'git', ['checkout', '--', '.']);
    expect(existsSync(path.join(root, LIBS, 'todo/project.json'))).toBe(true);
  });

  it('the packed CLI regenerates a one-schema change from its previous output, byte for byte as a full run does', () => {
    const generate = (out: string, env: Record<string, string> = {}) =>
      ok(root, 'npx', ['sync-patterns', 'generate', '--spec', SPEC, '--out', out, '--progress'], {
        SYNC_PATTERNS_CACHE_DIR: path.join(root, 'tmp/sp-cache'),
        ...env,
      });
    // the compiled CLI finds the package's own package.json
    const { version } = JSON.parse(readFileSync(path.join(REPO, 'libs/sync-patterns/package.json'), 'utf8')) as {
      version: string;
    };
    expect(ok(root, 'npx', ['sync-patterns', '--version']).trim()).toBe(version);
    generate('tmp/incremental/out');
    edit(root, SPEC, (text) =>
      text.replace(
        'title: { type: string, minLength: 1, maxLength: 200 }',
        'title: { type: string, minLength: 1, maxLength: 250 }',
      ),
    );
    ok(root, 'cp', ['-r', 'tmp/incremental', 'tmp/full']);
    // the compiled package prints the changed entries' types in a worker thread
    expect(generate('tmp/incremental/out')).toContain("from the previous run's (1 schema(s) changed");
    expect(generate('tmp/full/out', { SYNC_PATTERNS_NO_CACHE: '1' })).toContain('files emitted');
    expect(ok(root, 'diff', ['-r', 'tmp/incremental/out', 'tmp/full/out'])).toBe('');
    ok(root, 'git', ['checkout', '--', '.']);
  });
});
