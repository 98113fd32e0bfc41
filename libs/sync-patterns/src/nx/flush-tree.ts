import type { FileChange, Tree } from '@nx/devkit';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
// the one Nx internal left: @nx/devkit has no way to refresh the workspace's file index
import { updateContextWithChangedFiles } from 'nx/src/utils/workspace-context';
import { resolveInside } from '../write/write-files';

/**
 * Writes a tree's changes to disk and tells Nx's file index about them, as Nx does after `nx sync`:
 * otherwise project lookups later in the same process miss the libraries just created. Nothing is
 * written unless every change is confined (confineChanges).
 */
export async function flushTree(tree: Tree): Promise<void> {
  const changes = tree.listChanges();
  confineChanges(tree);
  writeChanges(tree.root, changes);
  const paths = (type: string) => changes.filter((c) => c.type === type).map((c) => c.path);
  await updateContextWithChangedFiles(tree.root, paths('CREATE'), paths('UPDATE'), paths('DELETE'));
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
