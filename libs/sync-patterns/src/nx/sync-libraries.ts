import {
  addProjectConfiguration,
  generateFiles,
  joinPathFragments,
  offsetFromRoot,
  readJson,
  readProjectConfiguration,
  removeProjectConfiguration,
  updateJson,
  updateProjectConfiguration,
  type ProjectConfiguration,
  type Tree,
} from '@nx/devkit';
import * as path from 'node:path';
import type { SyncApi } from '../model/ir';
import { emitFromSpec } from '../pipeline';
import type { OutputMemory } from '../write/output-memory';
import { planWrite, type WritePlan } from '../write/plan-write';
import { apiName, CORE_KEY, libraryLayout, type LibraryLayout } from './library-layout';
import { readConfig, type SyncConfig } from './config';
import { confineChanges } from './flush-tree';

export interface SyncOptions {
  /** Only these libraries (model schema names; the core library always comes along). Default: every model. */
  only?: string[];
  /** Overwrite hand-edited generated files. */
  force?: boolean;
  /** Delete the libraries of models that are gone from the spec. */
  prune?: boolean;
  log?: (line: string) => void;
  /** Warnings (a filter that matches nothing); default: `log`. */
  warn?: (line: string) => void;
  /**
   * Start from the previous run's output, as the CLI does (incremental/), and offer to leave a
   * record for the next run (`remember`). Only for a tree that is the file system as it is: the
   * output folder is read from disk, and so are its files' sizes and times.
   */
  memory?: OutputMemory;
}

export type LibraryStatus = 'created' | 'updated' | 'unchanged' | 'held' | 'removed' | 'orphaned';

export interface LibraryReport {
  project: string;
  root: string;
  status: LibraryStatus;
  /** Generated files written or deleted (created/updated/removed), or hand-edited ones (held). */
  files: string[];
}

export interface SyncReport {
  apiProject: string;
  spec: string;
  libraries: LibraryReport[];
  /** True when the tree now differs from before: what `--check` calls drift. */
  changed: boolean;
  /**
   * With `memory`: leaves what the next run starts from — call it once the tree is on disk (or
   * `--check` found no drift). Absent when a library was held or left out: the output is then not
   * all that the spec gives.
   */
  remember?: () => void;
}

const TARGET_SYNC_GENERATOR = 'sync-patterns:sync';

/**
 * Brings the generated libraries of one api project up to date with its spec, in the Tree: the
 * shared pipeline emits every file, the shared planner decides what to write, and each library is
 * all-or-nothing — one with hand edits is held as it is (and reported), the others go ahead.
 * Used by the init/model generators, the sync executor (on a file-system tree) and `nx sync`.
 */
export async function syncLibraries(tree: Tree, apiProject: string, options: SyncOptions = {}): Promise<SyncReport> {
  const apiRoot = readProjectConfiguration(tree, apiProject).root;
  const config = readConfig(tree, apiRoot);
  const outDir = path.join(tree.root, config.directory);
  const { memory } = options;
  const read = memory
    ? memory.reader()
    : (file: string) => tree.read(joinPathFragments(config.directory, file), 'utf-8') ?? undefined;
  const pipeline = {
    previous: read,
    spec: path.join(tree.root, config.spec),
    out: outDir,
    apiName: apiName(config, apiProject),
    allModels: config.allModels,
    ...(config.allowRemoteRefs ? { refs: { allowRemoteRefs: config.allowRemoteRefs } } : {}),
    ...(config.include || config.exclude ? { filters: { include: config.include, exclude: config.exclude } } : {}),
    coreImport: libraryLayout(tree, config, apiProject, CORE_KEY, 'core').importPath,
    log: options.log,
    warn: options.warn,
  };
  const { api, files, run } = await emitFromSpec(pipeline, memory);
  const wanted = selectLibraries(api, options.only);
  const libraryOf = (file: string) => file.split('/')[0];
  const inWorkspace = (file: string) => joinPathFragments(config.directory, file);
  const living = new Set([CORE_KEY, ...api.models.map((m) => m.names.file)]);
  // A file a living library no longer needs is removed with it; a gone model's library only with --prune.
  const prune = (file: string) => living.has(libraryOf(file)) || options.prune === true;

  const hashOf = memory && ((file: string, content: string) => memory.hashOf(file, content));
  const probe = planWrite(files, read, {
    where: config.directory,
    force: options.force,
    prune,
    frozen: (f) => !isWanted(libraryOf(f), wanted),
    hashOf,
  });
  const held = new Set(probe.handEdited.map(libraryOf));
  const plan = held.size
    ? planWrite(files, read, {
        where: config.directory,
        force: options.force,
        prune,
        frozen: (f) => held.has(libraryOf(f)) || !isWanted(libraryOf(f), wanted),
        hashOf,
      })
    : probe;

  for (const file of plan.writes) tree.write(joinPathFragments(config.directory, file.path), file.content);
  for (const file of plan.deletes) tree.delete(joinPathFragments(config.directory, file));

  const libraries: LibraryReport[] = [];
  const modes = new Map<string, LibraryLayout>([[CORE_KEY, libraryLayout(tree, config, apiProject, CORE_KEY, 'core')]]);
  for (const model of api.models)
    modes.set(model.names.file, libraryLayout(tree, config, apiProject, model.names.file, model.sync.mode));
  for (const [key, layout] of modes) {
    if (!isWanted(key, wanted)) continue;
    if (held.has(key)) {
      libraries.push({
        project: layout.project,
        root: layout.root,
        status: 'held',
        files: probe.handEdited.filter((f) => libraryOf(f) === key).map(inWorkspace),
      });
      continue;
    }
    const created = !projectExists(tree, layout.project);
    ensureProject(
      tree,
      layout,
      apiProject,
      config,
      key === CORE_KEY ? undefined : api.models.find((m) => m.names.file === key)?.schemaName,
      api.models.some((m) => m.sync.mode === 'live'),
    );
    const written = [...plan.writes.map((f) => f.path), ...plan.deletes]
      .filter((f) => libraryOf(f) === key)
      .map(inWorkspace);
    libraries.push({
      project: layout.project,
      root: layout.root,
      status: created ? 'created' : written.length ? 'updated' : 'unchanged',
      files: written,
    });
  }
  libraries.push(...goneLibraries(tree, config, apiProject, plan, living, options.prune === true));
  // whoever flushes this tree (Nx after a generator, the executor) writes nothing through a symlink
  confineChanges(tree);
  const whole = memory && !held.size && !wanted;
  return {
    apiProject,
    spec: config.spec,
    libraries,
    changed: tree.listChanges().length > 0,
    ...(whole ? { remember: () => run.remember(plan) } : {}),
  };
}

/** Where an api project's libraries are generated (absolute). */
export function outputDirectory(tree: Tree, apiProject: string): string {
  return path.join(tree.root, readConfig(tree, readProjectConfiguration(tree, apiProject).root).directory);
}

function selectLibraries(api: SyncApi, only: string[] | undefined): Set<string> | undefined {
  if (!only) return undefined;
  const keys = new Set([CORE_KEY]);
  for (const name of only) {
    const model = api.models.find((m) => m.schemaName === name || m.names.file === name);
    if (!model) {
      const known = api.models.map((m) => m.schemaName).join(', ') || 'none';
      throw new Error(
        `no x-sync model named "${name}" in ${api.specFile} (models: ${known}); annotate its schema with \`x-sync: push\` (or live, cache) under #/components/schemas/${name}`,
      );
    }
    keys.add(model.names.file);
  }
  return keys;
}

const isWanted = (key: string, wanted: Set<string> | undefined) =>
  key === '.sync-patterns' || !wanted || wanted.has(key);

function projectExists(tree: Tree, project: string): boolean {
  try {
    readProjectConfiguration(tree, project);
    return true;
  } catch {
    return false;
  }
}

/** project.json and the scaffold files on first sight; afterwards only the tags that follow the mode. */
function ensureProject(
  tree: Tree,
  layout: LibraryLayout,
  apiProject: string,
  config: SyncConfig,
  schemaName: string | undefined,
  hasShapePolicy: boolean,
): void {
  ensureImportPaths(tree, layout, schemaName !== undefined, hasShapePolicy);
  if (projectExists(tree, layout.project)) {
    const project = readProjectConfiguration(tree, layout.project);
    // the mode tag follows the spec (push → live); every other tag is the user's
    const mode = layout.tags[0];
    const current = project.tags ?? [];
    const tags = current.some((t) => t.startsWith('sync:'))
      ? current.map((t) => (t.startsWith('sync:') ? mode : t))
      : [...current, mode];
    if (JSON.stringify(tags) !== JSON.stringify(project.tags))
      updateProjectConfiguration(tree, layout.project, { ...project, tags });
    return;
  }
  addProjectConfiguration(tree, layout.project, projectConfiguration(layout, apiProject));
  const core = schemaName === undefined ? undefined : libraryLayout(tree, config, apiProject, CORE_KEY, 'core');
  generateFiles(tree, path.join(__dirname, 'files', 'library'), layout.root, {
    tmpl: '',
    offsetFromRoot: offsetFromRoot(layout.root),
    project: layout.project,
    apiProject,
    spec: config.spec,
    description:
      schemaName === undefined
        ? `The shared core of the \`${apiProject}\` api's client libraries: types of every schema, validators and the HTTP client.`
        : `Client library of the \`${schemaName}\` model of the \`${apiProject}\` api.`,
    displayName: JSON.stringify(layout.project),
    moduleNameMapper: core
      ? `{ ${JSON.stringify(`^${escapeRegExp(core.importPath)}$`)}: '<rootDir>/../core/src/index.ts' }`
      : '{}',
  });
}

/** The library's import paths in tsconfig.base.json (and a model library's testing entry); written only when missing. */
function ensureImportPaths(tree: Tree, layout: LibraryLayout, isModel: boolean, hasShapePolicy: boolean): void {
  const wanted: [string, string][] = [[layout.importPath, 'index.ts']];
  if (isModel)
    wanted.push([`${layout.importPath}/testing`, 'testing.ts']); // fake data and MSW handlers, for tests and stories
  // the core's shape policy, for the API server's shape proxy (a file without imports)
  else if (hasShapePolicy) wanted.push([`${layout.importPath}/shape-policy`, 'shape-policy.ts']);
  const current = tree.exists('tsconfig.base.json') ? readJson(tree, 'tsconfig.base.json') : {};
  if (wanted.every(([name]) => current.compilerOptions?.paths?.[name] !== undefined)) return;
  updateJson(tree, 'tsconfig.base.json', (json) => {
    json.compilerOptions ??= {};
    json.compilerOptions.paths ??= {};
    for (const [name, file] of wanted) {
      // without a baseUrl, TypeScript resolves paths from the config's folder and wants them relative
      const target = joinPathFragments(layout.root, 'src', file);
      json.compilerOptions.paths[name] ??= [json.compilerOptions.baseUrl === undefined ? `./${target}` : target];
    }
    return json;
  });
}

function projectConfiguration(layout: LibraryLayout, apiProject: string): ProjectConfiguration {
  // Running a library's tests or typecheck first brings it up to date with the spec (`nx sync`).
  const command = (cmd: string) => ({
    executor: 'nx:run-commands',
    options: { command: cmd, cwd: '{projectRoot}' },
    cache: true,
    syncGenerators: [TARGET_SYNC_GENERATOR],
  });
  return {
    name: layout.project,
    root: layout.root,
    sourceRoot: joinPathFragments(layout.root, 'src'),
    projectType: 'library',
    tags: layout.tags,
    // A spec change lands in the api project; this makes every library of it affected.
    implicitDependencies: [apiProject],
    targets: {
      typecheck: {
        ...command('tsc -p tsconfig.json'),
        inputs: ['default', '^default', { externalDependencies: ['typescript'] }],
      },
      test: {
        ...command('jest --config jest.config.cjs --passWithNoTests'),
        inputs: ['default', '^default', { externalDependencies: ['jest', 'ts-jest'] }],
      },
    },
  };
}

/** Libraries the manifest remembers but the spec no longer has: reported, or removed with prune. */
function goneLibraries(
  tree: Tree,
  config: SyncConfig,
  apiProject: string,
  plan: WritePlan,
  living: Set<string>,
  prune: boolean,
): LibraryReport[] {
  const byKey = new Map<string, string[]>();
  for (const file of prune ? plan.deletes : plan.stale) {
    const key = file.split('/')[0];
    if (!living.has(key) && key !== '.sync-patterns') byKey.set(key, [...(byKey.get(key) ?? []), file]);
  }
  const out: LibraryReport[] = [];
  for (const [key, files] of byKey) {
    const layout = libraryLayout(tree, config, apiProject, key, 'push');
    if (prune && projectExists(tree, layout.project)) {
      removeProjectConfiguration(tree, layout.project);
      tree.delete(layout.root);
      updateJson(tree, 'tsconfig.base.json', (json) => {
        if (json.compilerOptions?.paths) {
          delete json.compilerOptions.paths[layout.importPath];
          delete json.compilerOptions.paths[`${layout.importPath}/testing`];
        }
        return json;
      });
    }
    out.push({
      project: layout.project,
      root: layout.root,
      status: prune ? 'removed' : 'orphaned',
      files: files.map((f) => joinPathFragments(config.directory, f)),
    });
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
