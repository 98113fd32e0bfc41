import { logger, type ExecutorContext } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { flushTree } from '../../flush-tree';
import { formatReport, hasDrift } from '../../report';
import { syncLibraries } from '../../sync-libraries';

export interface SyncExecutorOptions {
  check?: boolean;
  prune?: boolean;
  force?: boolean;
}

/**
 * `nx run api:sync`: the same generation as the generators, on a tree over the file system, so
 * nothing reaches the disk until the whole plan is known; `--check` never flushes it.
 */
export default async function syncExecutor(options: SyncExecutorOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const project = context.projectName;
  if (!project) throw new Error('run the sync executor on an api project: nx run <api>:sync');
  const tree = new FsTree(context.root, context.isVerbose);
  try {
    const report = await syncLibraries(tree, project, { force: options.force, prune: options.prune, log: context.isVerbose ? (line) => logger.info(line) : undefined });
    for (const line of formatReport(report, { check: options.check })) logger.info(line);
    if (options.check) {
      if (!hasDrift(report)) return { success: true };
      logger.error(`drift: run \`nx run ${project}:sync\` and commit the result${report.libraries.some((l) => l.status === 'held') ? ' (held libraries: move hand edits into files of your own, or --force)' : ''}`);
      return { success: false };
    }
    await flushTree(tree);
    const held = report.libraries.filter((l) => l.status === 'held');
    if (held.length) logger.warn(`hand edits kept in ${held.map((l) => l.project).join(', ')}: move them into files of your own, or pass --force to overwrite`);
    return { success: true };
  } catch (error) {
    logger.error((error as Error).message);
    return { success: false };
  }
}
