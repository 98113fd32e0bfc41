import { addProjectConfiguration, getProjects, readJson, removeProjectConfiguration } from '@nx/devkit';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { flushTree } from '../src/nx/flush-tree';
import { WorkspaceTree } from '../src/nx/workspace-tree';
import { snapshotDir, tempDir } from './helpers';

/**
 * The plugin's Tree over the disk (the executor's, and the tests'): reads see the pending changes,
 * nothing reaches the disk before flushTree, and listChanges says what flushing will do.
 */
function workspace(files: Record<string, string>): string {
  const root = tempDir('tree');
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  return root;
}

const changes = (tree: WorkspaceTree) => tree.listChanges().map((c) => `${c.type} ${c.path}`);

describe('WorkspaceTree', () => {
  it('reads what was written, in either encoding, and writes nothing to disk before the flush', async () => {
    const root = workspace({ 'a/old.txt': 'old\n' });
    const before = snapshotDir(root);
    const tree = new WorkspaceTree(root);
    tree.write('a/old.txt', 'changed\n');
    tree.write('/a/new.txt', Buffer.from('new\n'));
    expect(tree.read('a/old.txt', 'utf-8')).toBe('changed\n');
    expect(tree.read('./a/new.txt')).toEqual(Buffer.from('new\n'));
    expect(tree.exists('a/new.txt')).toBe(true);
    expect(tree.isFile('a/new.txt')).toBe(true);
    expect(tree.isFile('a')).toBe(false);
    expect(tree.read('a/missing.txt')).toBeNull();
    expect(tree.read('a')).toBeNull();
    expect(snapshotDir(root)).toEqual(before);
    await flushTree(tree);
    expect(snapshotDir(root)).toEqual({ 'a/old.txt': 'changed\n', 'a/new.txt': 'new\n' });
  });

  it('lists a new file as CREATE, a changed one as UPDATE, a deleted one as DELETE; writing back what the disk holds is no change', () => {
    const root = workspace({ 'kept.txt': 'same\n', 'edited.txt': 'before\n', 'gone.txt': 'bye\n' });
    const tree = new WorkspaceTree(root);
    tree.write('kept.txt', 'same\n');
    tree.write('edited.txt', 'after\n');
    tree.write('new.txt', 'hello\n');
    tree.delete('gone.txt');
    expect(changes(tree)).toEqual(['DELETE gone.txt', 'UPDATE edited.txt', 'CREATE new.txt']);
    expect(tree.listChanges().find((c) => c.path === 'new.txt')?.content).toEqual(Buffer.from('hello\n'));
    // an edit undone, and a file created then deleted, leave nothing to flush
    tree.write('edited.txt', 'before\n');
    tree.delete('new.txt');
    expect(changes(tree)).toEqual(['DELETE gone.txt']);
  });

  it('hides a deleted file, and every file of a deleted folder, until the flush removes them', async () => {
    const root = workspace({ 'lib/project.json': '{}\n', 'lib/src/index.ts': 'export {};\n', 'other.txt': 'x\n' });
    const tree = new WorkspaceTree(root);
    tree.delete('other.txt');
    tree.delete('lib');
    for (const file of ['other.txt', 'lib', 'lib/project.json', 'lib/src/index.ts']) {
      expect(tree.exists(file)).toBe(false);
      expect(tree.read(file)).toBeNull();
    }
    expect(tree.children('')).toEqual([]);
    expect(tree.children('lib')).toEqual([]);
    expect(snapshotDir(root)).toEqual({
      'lib/project.json': '{}\n',
      'lib/src/index.ts': 'export {};\n',
      'other.txt': 'x\n',
    });
    await flushTree(tree);
    expect(snapshotDir(root)).toEqual({});
  });

  it('writes into a deleted folder without bringing back what was in it', async () => {
    const root = workspace({ 'lib/old.ts': 'old\n' });
    const tree = new WorkspaceTree(root);
    tree.delete('lib');
    tree.write('lib/new.ts', 'new\n');
    expect(tree.exists('lib')).toBe(true);
    expect(tree.children('lib')).toEqual(['new.ts']);
    expect(tree.read('lib/old.ts')).toBeNull();
    // the folder goes before the new file lands
    expect(changes(tree)).toEqual(['DELETE lib', 'CREATE lib/new.ts']);
    await flushTree(tree);
    expect(snapshotDir(root)).toEqual({ 'lib/new.ts': 'new\n' });
  });

  it('deletes a folder its last file leaves empty, and brings it back when written into', async () => {
    const root = workspace({ 'lib/only.ts': 'x\n', 'keep.txt': 'k\n' });
    const tree = new WorkspaceTree(root);
    tree.delete('lib/only.ts');
    expect(tree.exists('lib')).toBe(false);
    expect(changes(tree)).toEqual(['DELETE lib/only.ts', 'DELETE lib']);
    // writing the same file back is no change at all
    tree.write('lib/only.ts', 'x\n');
    expect(changes(tree)).toEqual([]);
    tree.delete('lib/only.ts');
    await flushTree(tree);
    expect(snapshotDir(root)).toEqual({ 'keep.txt': 'k\n' });
    expect(tree.children('')).toEqual(['keep.txt']);
  });

  it('lists children from the disk and the pending changes, without the deleted ones', () => {
    const root = workspace({ 'dir/a.txt': 'a', 'dir/b.txt': 'b', 'dir/sub/c.txt': 'c' });
    const tree = new WorkspaceTree(root);
    tree.write('dir/new/deep/d.txt', 'd');
    tree.write('dir/e.txt', 'e');
    tree.delete('dir/b.txt');
    expect(tree.children('dir').sort()).toEqual(['a.txt', 'e.txt', 'new', 'sub']);
    expect(tree.children('dir/new')).toEqual(['deep']);
    expect(tree.children('dir/a.txt')).toEqual([]);
    expect(tree.children('nowhere')).toEqual([]);
  });

  it('renames files and folders, and carries a permission change to the disk', async () => {
    const root = workspace({ 'from/x.txt': 'x\n', 'from/sub/y.txt': 'y\n', 'run.sh': 'echo\n' });
    const tree = new WorkspaceTree(root);
    tree.rename('from', 'to');
    tree.changePermissions('run.sh', 0o755);
    expect(tree.exists('from')).toBe(false);
    expect(tree.read('to/sub/y.txt', 'utf-8')).toBe('y\n');
    expect(tree.listChanges().find((c) => c.path === 'run.sh')).toMatchObject({
      type: 'UPDATE',
      options: { mode: 0o755 },
    });
    expect(() => tree.changePermissions('from/x.txt', 0o755)).toThrow('no such file');
    await flushTree(tree);
    expect(snapshotDir(root)).toEqual({ 'run.sh': 'echo\n', 'to/x.txt': 'x\n', 'to/sub/y.txt': 'y\n' });
    expect(statSync(path.join(root, 'run.sh')).mode & 0o777).toBe(0o755);
  });

  it("serves @nx/devkit's project helpers: a project added in the tree is found, one removed with its folder is gone", () => {
    const root = workspace({
      'nx.json': '{}\n',
      'package.json': '{ "name": "ws" }\n',
      'libs/old/project.json': '{ "name": "old" }\n',
      'libs/old/src/index.ts': '',
    });
    const tree = new WorkspaceTree(root);
    expect([...getProjects(tree).keys()]).toEqual(['old']);
    addProjectConfiguration(tree, 'fresh', { root: 'libs/fresh', targets: {} });
    removeProjectConfiguration(tree, 'old');
    tree.delete('libs/old');
    expect([...getProjects(tree).keys()]).toEqual(['fresh']);
    expect(readJson(tree, 'libs/fresh/project.json')).toMatchObject({ name: 'fresh' });
  });
});
