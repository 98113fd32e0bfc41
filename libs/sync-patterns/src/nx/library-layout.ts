import { joinPathFragments, readJson, type Tree } from '@nx/devkit';
import type { SyncMode } from '../model/ir';
import type { SyncConfig } from './config';

/** Where one generated library lives in the workspace and how the rest of it names the library. */
export interface LibraryLayout {
  /** Its folder inside the generated directory: `core` or the model's file stem. */
  key: string;
  project: string;
  root: string;
  importPath: string;
  tags: string[];
}

export const CORE_KEY = 'core';

/** The api's name in project names and import paths: the config's `name`, else the api project's. */
export function apiName(config: SyncConfig, apiProject: string): string {
  return (
    config.name ??
    apiProject
      .replace(/[^a-zA-Z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()
  );
}

export function libraryLayout(
  tree: Tree,
  config: SyncConfig,
  apiProject: string,
  key: string,
  mode: SyncMode | 'core',
): LibraryLayout {
  const api = apiName(config, apiProject);
  const project = `${api}-${key}`;
  const scope = npmScope(tree);
  return {
    key,
    project,
    root: joinPathFragments(config.directory, key),
    importPath: scope ? `@${scope}/${project}` : project,
    tags: [`sync:${mode}`, `sync-api:${api}`],
  };
}

/** The workspace's npm scope, as Nx generators derive it: from the root package.json's name. */
function npmScope(tree: Tree): string | undefined {
  if (!tree.exists('package.json')) return undefined;
  const name = readJson<{ name?: string }>(tree, 'package.json').name;
  return name?.startsWith('@') ? name.slice(1).split('/')[0] : undefined;
}
