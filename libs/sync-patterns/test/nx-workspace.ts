import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { flushTree } from '../src/nx/flush-tree';
import { WorkspaceTree } from '../src/nx/workspace-tree';
import { EXAMPLE_SPEC, tempDir } from './helpers';

/**
 * A small Nx workspace on disk — root package.json, nx.json, tsconfig.base.json and an `api`
 * project serving the example spec — for running the plugin's generators and executor for real.
 */
export function scratchWorkspace(): string {
  const root = tempDir('nx-ws');
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: '@acme/source', version: '0.0.0', private: true }, null, 2),
    'nx.json': JSON.stringify({ neverConnectToCloud: true }, null, 2),
    'tsconfig.base.json': JSON.stringify({ compilerOptions: { strict: true, paths: {} } }, null, 2),
    'apps/api/project.json': JSON.stringify(
      {
        name: 'api',
        root: 'apps/api',
        projectType: 'application',
        targets: {},
      },
      null,
      2,
    ),
    'apps/api/openapi.yaml': readFileSync(EXAMPLE_SPEC, 'utf8'),
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content + (content.endsWith('\n') ? '' : '\n'));
  }
  return root;
}

export function treeOf(root: string): WorkspaceTree {
  return new WorkspaceTree(root);
}

/** Writes what a generator did to the disk, as `nx g` does at the end. */
export function flush(tree: WorkspaceTree): Promise<void> {
  return flushTree(tree);
}

export function readText(root: string, file: string): string {
  return readFileSync(path.join(root, file), 'utf8');
}

export function readJsonFile<T = Record<string, unknown>>(root: string, file: string): T {
  return JSON.parse(readText(root, file)) as T;
}

/** Edits the api's spec on disk (the generators read specs from the file system). */
export function editSpec(root: string, edit: (text: string) => string): void {
  const file = path.join(root, 'apps/api/openapi.yaml');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}
