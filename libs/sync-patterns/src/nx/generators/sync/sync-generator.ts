import type { GeneratorCallback, Tree } from '@nx/devkit';
import { apiProjects } from '../../api-projects';
import { formatReport } from '../../report';
import { syncLibraries } from '../../sync-libraries';

/** What Nx's sync generators answer (nx's SyncGeneratorResult, which @nx/devkit does not export). */
export type SyncGeneratorResult = void | {
  callback?: GeneratorCallback;
  outOfSyncMessage?: string;
  outOfSyncDetails?: string[];
};

/**
 * The sync generator behind `nx sync` / `nx sync:check`, attached to the generated libraries'
 * targets: regenerates every api's libraries in the tree. Nx calls it without options, so it reads
 * each api's sync-patterns.json; the tree's changes are the drift (hand-edited libraries are held,
 * so they show up in `nx run <api>:sync --check`, not here).
 */
export async function syncGenerator(tree: Tree): Promise<SyncGeneratorResult> {
  const details: string[] = [];
  for (const project of apiProjects(tree)) {
    const report = await syncLibraries(tree, project);
    if (report.libraries.some((l) => l.status !== 'unchanged')) details.push(...formatReport(report, { check: true }));
  }
  if (!tree.listChanges().length) return undefined;
  return {
    outOfSyncMessage: 'The generated client libraries differ from their OpenAPI specs.',
    outOfSyncDetails: details,
  };
}

export default syncGenerator;
