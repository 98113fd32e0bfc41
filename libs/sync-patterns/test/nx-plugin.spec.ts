import { logger, readProjectConfiguration } from '@nx/devkit';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import syncExecutor, { runSync } from '../src/nx/executors/sync/sync-executor';
import { initGenerator } from '../src/nx/generators/init/init-generator';
import { modelGenerator } from '../src/nx/generators/model/model-generator';
import { syncGenerator } from '../src/nx/generators/sync/sync-generator';
import { createNodes } from '../src/plugin';
import { WORKSPACE } from './helpers';
import { editSpec, flush, readJsonFile, readText, scratchWorkspace, treeOf } from './nx-workspace';

/**
 * The Nx plugin on a real workspace on disk: generators on a tree over the disk (as `nx g` runs them),
 * the executor as `nx run` calls it, the sync generator as `nx sync` does.
 */
const LIBS = 'libs/api-client';
const executorContext = (root: string) =>
  ({
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'api',
    targetName: 'sync',
  }) as never;
const addField = (text: string) =>
  text.replace(
    '      x-sync: push\n      required: [id, email, name, role, created_at]\n      properties:\n',
    '      x-sync: push\n      required: [id, email, name, role, created_at]\n      properties:\n        nickname: { type: string }\n',
  );

async function initialized(): Promise<string> {
  const root = scratchWorkspace();
  const tree = treeOf(root);
  await initGenerator(tree, {
    project: 'api',
    spec: 'apps/api/openapi.yaml',
    skipInstall: true,
    skipFormat: true,
  });
  await flush(tree);
  return root;
}

async function withModels(): Promise<string> {
  const root = await initialized();
  const tree = treeOf(root);
  await modelGenerator(tree, { project: 'api', all: true });
  await flush(tree);
  return root;
}

let messages: string[];
beforeEach(() => {
  messages = [];
  for (const level of ['info', 'warn', 'error'] as const)
    jest
      .spyOn(logger, level)
      .mockImplementation((...args: unknown[]) => void messages.push(args.map(String).join(' ')));
});
afterEach(() => jest.restoreAllMocks());

describe('nx g sync-patterns:init', () => {
  it('records the spec, registers the plugin and creates the core library, nothing else', async () => {
    const root = await initialized();
    expect(readJsonFile(root, 'apps/api/sync-patterns.json')).toEqual({
      spec: 'apps/api/openapi.yaml',
      directory: LIBS,
    });
    expect(readJsonFile<{ plugins: string[] }>(root, 'nx.json').plugins).toEqual(['sync-patterns/plugin']);
    const core = readJsonFile<{
      name: string;
      tags: string[];
      implicitDependencies: string[];
      targets: Record<string, unknown>;
    }>(root, `${LIBS}/core/project.json`);
    expect(core).toMatchObject({
      name: 'api-core',
      tags: ['sync:core', 'sync-api:api'],
      implicitDependencies: ['api'],
    });
    expect(Object.keys(core.targets).sort()).toEqual(['test', 'typecheck']);
    expect(existsSync(path.join(root, LIBS, 'core/src/lib/api.types.ts'))).toBe(true);
    expect(existsSync(path.join(root, LIBS, 'todo'))).toBe(false);
    expect(
      readJsonFile<{ compilerOptions: { paths: Record<string, string[]> } }>(root, 'tsconfig.base.json').compilerOptions
        .paths,
    ).toEqual({
      '@acme/api-core': [`./${LIBS}/core/src/index.ts`],
      // the spec has a live model: the API server's shape proxy imports its shape policy
      '@acme/api-core/shape-policy': [`./${LIBS}/core/src/shape-policy.ts`],
    });
    expect(readText(root, '.prettierignore')).toContain(`${LIBS}/*/src/`);
    const pkg = readJsonFile<{
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    }>(root, 'package.json');
    expect(pkg.dependencies).toMatchObject({
      '@sync-patterns/runtime': expect.any(String),
      '@tanstack/react-query': expect.any(String),
    });
    expect(pkg.devDependencies).toMatchObject({
      jest: expect.any(String),
      'ts-jest': expect.any(String),
      typescript: '5.9.3',
    });
    expect(readJsonFile<{ overrides: Record<string, string> }>(root, 'package.json').overrides).toEqual({
      '@tanstack/db': '0.15.2',
    });
  });

  it('refuses a spec that does not exist, naming it', async () => {
    const tree = treeOf(scratchWorkspace());
    await expect(
      initGenerator(tree, {
        project: 'api',
        spec: 'apps/api/missing.yaml',
        skipInstall: true,
      }),
    ).rejects.toThrow('spec not found: apps/api/missing.yaml');
    expect(tree.listChanges()).toEqual([]);
  });
});

describe('nx g sync-patterns:model', () => {
  it('creates one library per model, tagged with its mode and depending on the api', async () => {
    const root = await initialized();
    const tree = treeOf(root);
    await modelGenerator(tree, { project: 'api', model: 'Todo' });
    const todo = readProjectConfiguration(tree, 'api-todo');
    expect(todo).toMatchObject({
      root: `${LIBS}/todo`,
      tags: ['sync:live', 'sync-api:api'],
      implicitDependencies: ['api'],
    });
    expect(Object.keys(todo.targets ?? {}).sort()).toEqual(['test', 'typecheck']);
    expect(todo.targets?.['test'].syncGenerators).toEqual(['sync-patterns:sync']);
    expect(tree.exists(`${LIBS}/todo/src/lib/todo.hooks.ts`)).toBe(true);
    expect(tree.exists(`${LIBS}/todo/jest.config.cjs`)).toBe(true);
    expect(tree.read(`${LIBS}/todo/src/lib/todo.api.ts`, 'utf-8')).toContain("from '@acme/api-core'");
    expect(tree.exists(`${LIBS}/user`)).toBe(false);
  });

  it('names the models it knows when asked for one it does not', async () => {
    const tree = treeOf(await initialized());
    await expect(modelGenerator(tree, { project: 'api', model: 'Nope' })).rejects.toThrow(
      /no x-sync model named "Nope".*models: User, Project, Todo|no x-sync model named "Nope"/,
    );
  });
});

describe('nx sync (the sync generator)', () => {
  it('is idempotent, and reports a spec change as drift naming the library and files', async () => {
    const root = await withModels();
    expect(await syncGenerator(treeOf(root))).toBeUndefined();
    editSpec(root, addField);
    const tree = treeOf(root);
    const result = await syncGenerator(tree);
    expect(result).toMatchObject({
      outOfSyncMessage: expect.stringContaining('differ'),
    });
    const details = (result as { outOfSyncDetails: string[] }).outOfSyncDetails.join('\n');
    expect(details).toContain('api-user');
    expect(details).toContain(`${LIBS}/core/src/lib/api.types.ts`);
    expect(details).toContain(`${LIBS}/user/src/lib/user.validators.ts`);
    expect(
      tree
        .listChanges()
        .map((c) => c.path)
        .sort(),
    ).toEqual([
      `${LIBS}/.sync-patterns/manifest.json`,
      `${LIBS}/core/src/lib/api.types.ts`,
      `${LIBS}/core/src/lib/fakes.ts`,
      // the new field gets fake values too (the definitions live in core; the model refers to them)
      `${LIBS}/core/src/lib/validators.ts`,
      `${LIBS}/user/src/lib/user.validators.ts`,
    ]);
  });
});

describe('nx run api:sync (the executor)', () => {
  it('--check fails on drift and changes nothing; sync fixes it; --check then passes', async () => {
    const root = await withModels();
    await expect(syncExecutor({ check: true }, executorContext(root))).resolves.toEqual({ success: true });
    editSpec(root, addField);
    const before = readText(root, `${LIBS}/core/src/lib/api.types.ts`);
    await expect(syncExecutor({ check: true }, executorContext(root))).resolves.toEqual({ success: false });
    expect(readText(root, `${LIBS}/core/src/lib/api.types.ts`)).toBe(before);
    expect(messages.join('\n')).toMatch(/api-user .*would be updated/);
    await expect(syncExecutor({}, executorContext(root))).resolves.toEqual({
      success: true,
    });
    expect(readText(root, `${LIBS}/core/src/lib/api.types.ts`)).toContain('nickname');
    await expect(syncExecutor({ check: true }, executorContext(root))).resolves.toEqual({ success: true });
  });

  it('starts from the previous run’s output, and writes what a full run writes', async () => {
    const root = await withModels();
    const verbose = { ...(executorContext(root) as object), isVerbose: true } as never;
    process.env['SYNC_PATTERNS_CACHE_DIR'] = path.join(root, 'tmp/sync-cache');
    try {
      // the first run finds no record of the libraries' inputs (the generators wrote them): a full one, which leaves it
      await expect(syncExecutor({}, verbose)).resolves.toEqual({ success: true });
      expect(messages.join('\n')).toContain('a full run: no previous output');
      messages.length = 0;
      editSpec(root, addField);
      await expect(syncExecutor({}, verbose)).resolves.toEqual({ success: true });
      expect(messages.join('\n')).toMatch(
        /from the previous run's \(1 schema\(s\) changed: User; 1 model library emitted again\)/,
      );
      expect(readText(root, `${LIBS}/user/src/lib/user.validators.ts`)).toContain('nickname');
      // a full run finds nothing to change
      process.env['SYNC_PATTERNS_NO_CACHE'] = '1';
      await expect(syncExecutor({ check: true }, executorContext(root))).resolves.toEqual({ success: true });
    } finally {
      delete process.env['SYNC_PATTERNS_NO_CACHE'];
      delete process.env['SYNC_PATTERNS_CACHE_DIR'];
    }
  });

  it('reports an unreadable config and fails, naming the file', async () => {
    const root = await withModels();
    writeFileSync(path.join(root, 'apps/api/sync-patterns.json'), '{ "spec": ');
    await expect(syncExecutor({}, executorContext(root))).resolves.toEqual({ success: false });
    expect(messages.join('\n')).toContain('apps/api/sync-patterns.json');
  });

  it('appends a SQLite migration to a live library when its table changes, never rewriting the earlier ones', async () => {
    const root = await withModels();
    const first = readText(root, `${LIBS}/todo/migrations/0001_todo.sql`);
    editSpec(root, (text) =>
      text.replace(
        '        title: { type: string, minLength: 1, maxLength: 200 }\n',
        '        title: { type: string, minLength: 1, maxLength: 200 }\n        estimate: { type: [integer, "null"] }\n',
      ),
    );
    await expect(syncExecutor({ check: true }, executorContext(root))).resolves.toEqual({ success: false });
    expect(messages.join('\n')).toContain(`${LIBS}/todo/migrations/0002_todo.sql`);
    await expect(syncExecutor({}, executorContext(root))).resolves.toEqual({ success: true });
    expect(readText(root, `${LIBS}/todo/migrations/0001_todo.sql`)).toBe(first);
    expect(readText(root, `${LIBS}/todo/migrations/0002_todo.sql`)).toContain(
      'ALTER TABLE "todos" ADD COLUMN "estimate" INTEGER;',
    );
    expect(readText(root, `${LIBS}/todo/src/lib/todo.migrations.ts`)).toContain("name: '0002_todo'");
    await expect(syncExecutor({ check: true }, executorContext(root))).resolves.toEqual({ success: true });
  });

  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`${what} did not happen; messages:\n${messages.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('--watch syncs again on each spec change and keeps the libraries through an invalid save', async () => {
    const root = await withModels();
    const stop = new AbortController();
    const running = runSync({ watch: true }, executorContext(root), stop.signal);
    try {
      await until(() => messages.some((m) => m.startsWith('watching')), 'the first sync');
      editSpec(root, addField);
      await until(
        () => readText(root, `${LIBS}/user/src/lib/user.validators.ts`).includes('nickname'),
        'the sync after the edit',
      );
      const good = readText(root, `${LIBS}/core/src/lib/api.types.ts`);
      editSpec(root, (text) =>
        text.replace('      x-sync:\n        mode: live\n', '      x-sync:\n        mode: sideways\n'),
      );
      await until(
        () => messages.some((m) => m.includes('kept as the last good run left them')),
        'the invalid save to be reported',
      );
      expect(readText(root, `${LIBS}/core/src/lib/api.types.ts`)).toBe(good);
    } finally {
      stop.abort();
    }
    await expect(running).resolves.toEqual({ success: true });
  });

  it("--watch finds the libraries its previous run created (Nx's file index is refreshed after each flush)", async () => {
    const root = await initialized();
    const stop = new AbortController();
    const running = runSync({ watch: true }, executorContext(root), stop.signal);
    try {
      await until(() => messages.some((m) => m.startsWith('watching')), 'the first sync');
      expect(existsSync(path.join(root, LIBS, 'user/project.json'))).toBe(true);
      messages.length = 0;
      editSpec(root, addField);
      await until(
        () => readText(root, `${LIBS}/user/src/lib/user.validators.ts`).includes('nickname'),
        'the sync after the edit',
      );
      expect(messages.join('\n')).not.toContain('already exists');
    } finally {
      stop.abort();
    }
    await expect(running).resolves.toEqual({ success: true });
  });

  it('keeps a hand edit: that library is held, the others are synced', async () => {
    const root = await withModels();
    const edited = path.join(root, LIBS, 'todo/src/lib/todo.hooks.ts');
    writeFileSync(edited, readText(root, `${LIBS}/todo/src/lib/todo.hooks.ts`) + '\n// mine\n');
    editSpec(root, (text) =>
      addField(text).replace(
        'title: { type: string, minLength: 1, maxLength: 200 }',
        'title: { type: string, minLength: 1, maxLength: 300 }',
      ),
    );
    await expect(syncExecutor({}, executorContext(root))).resolves.toEqual({
      success: true,
    });
    expect(readText(root, `${LIBS}/todo/src/lib/todo.hooks.ts`)).toContain('// mine');
    expect(readText(root, `${LIBS}/user/src/lib/user.validators.ts`)).toContain('nickname');
    expect(messages.join('\n')).toMatch(/api-todo .*HELD/);
    expect(messages.join('\n')).toContain('todo/src/lib/todo.hooks.ts');
    await expect(syncExecutor({ check: true }, executorContext(root))).resolves.toEqual({ success: false });
  });

  it('creates libraries for newly annotated models, reports gone ones and removes them only with --prune', async () => {
    const root = await withModels();
    editSpec(root, (text) =>
      text.replace(
        '      x-sync: push\n      required: [id, email, name, role, created_at]',
        '      required: [id, email, name, role, created_at]',
      ),
    );
    await expect(syncExecutor({}, executorContext(root))).resolves.toEqual({
      success: true,
    });
    expect(messages.join('\n')).toMatch(/api-user .*ORPHANED/);
    expect(existsSync(path.join(root, LIBS, 'user/project.json'))).toBe(true);
    await expect(syncExecutor({ prune: true }, executorContext(root))).resolves.toEqual({ success: true });
    expect(existsSync(path.join(root, LIBS, 'user'))).toBe(false);
    expect(
      readJsonFile<{ compilerOptions: { paths: Record<string, string[]> } }>(root, 'tsconfig.base.json').compilerOptions
        .paths,
    ).not.toHaveProperty('@acme/api-user');
    editSpec(root, (text) =>
      text.replace(
        '      required: [id, email, name, role, created_at]',
        '      x-sync: push\n      required: [id, email, name, role, created_at]',
      ),
    );
    await expect(syncExecutor({}, executorContext(root))).resolves.toEqual({
      success: true,
    });
    expect(readProjectConfiguration(treeOf(root), 'api-user').tags).toEqual(['sync:push', 'sync-api:api']);
  });

  it('fails with the spec problem, naming file and pointer, and writes nothing', async () => {
    const root = await withModels();
    editSpec(root, (text) =>
      text.replace(
        '      x-sync:\n        mode: live\n        exclude: [internal_notes]',
        '      x-sync:\n        mode: sideways',
      ),
    );
    const before = readText(root, `${LIBS}/todo/src/lib/todo.types.ts`);
    await expect(syncExecutor({}, executorContext(root))).resolves.toEqual({
      success: false,
    });
    expect(messages.join('\n')).toMatch(/openapi\.yaml #\/components\/schemas\/Todo\/x-sync/);
    expect(readText(root, `${LIBS}/todo/src/lib/todo.types.ts`)).toBe(before);
  });
});

describe('the inferred sync target', () => {
  it('is cacheable with the config, the spec, the plugin version and the generated directory as inputs', async () => {
    const root = await initialized();
    const [, infer] = createNodes;
    const results = await infer(['apps/api/sync-patterns.json'], undefined, {
      nxJsonConfiguration: {},
      workspaceRoot: root,
    });
    expect(results).toEqual([
      [
        'apps/api/sync-patterns.json',
        {
          projects: {
            'apps/api': {
              targets: {
                sync: expect.objectContaining({
                  executor: 'sync-patterns:sync',
                  cache: true,
                  inputs: [
                    '{projectRoot}/sync-patterns.json',
                    '{workspaceRoot}/apps/api/openapi.yaml',
                    '{workspaceRoot}/apps/api/**/*.{json,yaml,yml}',
                    `{workspaceRoot}/${LIBS}/**/*`,
                    { externalDependencies: ['sync-patterns'] },
                  ],
                  outputs: [`{workspaceRoot}/${LIBS}`],
                }),
              },
            },
          },
        },
      ],
    ]);
  });

  it('names the plugin by its sources where it is a project of the workspace itself (this repository)', async () => {
    const [, infer] = createNodes;
    const [[, result]] = await infer(['apps/example-api/sync-patterns.json'], undefined, {
      nxJsonConfiguration: {},
      workspaceRoot: WORKSPACE,
    });
    expect(result.projects?.['apps/example-api']?.targets?.['sync']?.inputs).toContain(
      '{workspaceRoot}/libs/sync-patterns/src/**/*',
    );
  });
});
