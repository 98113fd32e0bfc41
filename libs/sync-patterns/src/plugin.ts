import {
  createNodesFromFiles,
  type CreateNodes,
  type CreateNodesContext,
  type CreateNodesResult,
  type TargetConfiguration,
} from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE, parseConfig } from './nx/config';

export interface SyncPluginOptions {
  /** Name of the inferred target; default `sync`. */
  targetName?: string;
}

/**
 * Infers `sync` on every project with a sync-patterns.json. Cacheable: its inputs are exactly what
 * decides the output — the config, the spec (and files beside it that it may `$ref`), the plugin's
 * version — plus the generated directory itself, so a cache hit can never restore over hand edits.
 */
export const createNodes: CreateNodes<SyncPluginOptions> = [
  `**/${CONFIG_FILE}`,
  (files, options, context) => createNodesFromFiles(inferSyncTarget, files, options ?? {}, context),
];

/** The same, under the name Nx 22 looked for. */
export const createNodesV2 = createNodes;

/**
 * The plugin's version as an input: the installed package, or — when the plugin is a project of this
 * very workspace (as in sync-patterns' own repository) — its sources, which Nx cannot name as an
 * external dependency.
 */
function pluginInput(workspaceRoot: string): string | { externalDependencies: string[] } {
  const packageRoot = path.resolve(__dirname, '..');
  const relative = path.relative(workspaceRoot, packageRoot).split(path.sep).join('/');
  const local =
    !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.split('/').includes('node_modules');
  return local ? `{workspaceRoot}/${relative}/src/**/*` : { externalDependencies: ['sync-patterns'] };
}

function inferSyncTarget(
  file: string,
  options: SyncPluginOptions | undefined,
  context: CreateNodesContext,
): CreateNodesResult {
  const root = path.posix.dirname(file);
  const isProject = ['project.json', 'package.json'].some((f) => existsSync(path.join(context.workspaceRoot, root, f)));
  if (!isProject) return {};
  const config = parseConfig(readFileSync(path.join(context.workspaceRoot, file), 'utf8'), file);
  const specDir = path.posix.dirname(config.spec);
  const target: TargetConfiguration = {
    executor: 'sync-patterns:sync',
    cache: true,
    inputs: [
      `{projectRoot}/${CONFIG_FILE}`,
      `{workspaceRoot}/${config.spec}`,
      `{workspaceRoot}/${specDir === '.' ? '' : `${specDir}/`}**/*.{json,yaml,yml}`,
      `{workspaceRoot}/${config.directory}/**/*`,
      pluginInput(context.workspaceRoot),
    ],
    outputs: [`{workspaceRoot}/${config.directory}`],
    metadata: {
      description: `Bring the client libraries in ${config.directory} up to date with ${config.spec} (--check: fail on drift)`,
      technologies: ['openapi'],
    },
  };
  return { projects: { [root]: { targets: { [options?.targetName ?? 'sync']: target } } } };
}
