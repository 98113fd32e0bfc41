import type { Tree } from '@nx/devkit';
import { flushChanges } from 'nx/src/generators/tree';
import { updateContextWithChangedFiles } from 'nx/src/utils/workspace-context';

/**
 * Writes a tree's changes to disk and tells Nx's file index about them, as Nx does after `nx sync`:
 * otherwise project lookups later in the same process miss the libraries just created.
 */
export async function flushTree(tree: Tree): Promise<void> {
  const changes = tree.listChanges();
  flushChanges(tree.root, changes);
  const paths = (type: string) => changes.filter((c) => c.type === type).map((c) => c.path);
  await updateContextWithChangedFiles(tree.root, paths('CREATE'), paths('UPDATE'), paths('DELETE'));
}
