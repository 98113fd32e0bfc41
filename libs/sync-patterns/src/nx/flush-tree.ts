import type { FileChange, Tree } from '@nx/devkit';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
// not public API: @nx/devkit documents no way to refresh its file index (see flushTree)
import { resetWorkspaceContext } from '@nx/devkit/internal';
import { resolveInside } from '../write/write-files';

/**
 * Writes a tree's changes to disk, then has Nx re-read its file index. Nothing is written unless
 * every change is confined (confineChanges).
 */
export async function flushTree(tree: Tree): Promise<void> {
  const changes = tree.listChanges();
  confineChanges(tree);
  writeChanges(tree.root, changes);
  // @nx/devkit's project lookups (readProjectConfiguration, getProjects) find project.json files through a
  // per-process index of the workspace's files, built once: left stale, it misses the libraries just created and
  // lists removed ones, and the next `sync --watch` run fails. Dropped, it is rebuilt from disk on the next lookup.
  // (Nx's updateContextWithChangedFiles, used before, updates only the daemon's index when a daemon runs.)
  resetWorkspaceContext();
}

/**
 * Nx writes and deletes through symlinks; sync-patterns does not, in the workspace as in --out: a
 * change whose path, or a folder on the way to it from the workspace root, is a symlink (or that
 * leaves the root) is refused with an OutputError — before anything is written, so all or nothing.
 */
export function confineChanges(tree: Tree): void {
  for (const change of tree.listChanges()) resolveInside(tree.root, change.path, 'the workspace');
}

/** Applies a tree's changes to disk, as Nx's own flush does (its `flushChanges` is not part of @nx/devkit). */
function writeChanges(root: string, changes: FileChange[]): void {
  for (const change of changes) {
    const file = path.join(root, change.path);
    if (change.type === 'DELETE') {
      rmSync(file, { recursive: true, force: true });
      continue;
    }
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, change.content ?? '');
    if (change.options?.mode) chmodSync(file, change.options.mode);
  }
}
