import { getProjects, type Tree } from '@nx/devkit';
import { configPath } from './config';

/** Every project of the workspace that has a `sync-patterns.json`, by name. */
export function apiProjects(tree: Tree): string[] {
  return [...getProjects(tree)]
    .filter(([, project]) => tree.exists(configPath(project.root)))
    .map(([name]) => name)
    .sort();
}
