import { logger, readProjectConfiguration, type ExecutorContext } from '@nx/devkit';
import * as path from 'node:path';
import { watchSpec } from '../../../cli/watch';
import { readConfig } from '../../config';
import { flushTree } from '../../flush-tree';
import { formatReport, hasDrift } from '../../report';
import { outputDirectory, syncLibraries } from '../../sync-libraries';
import { WorkspaceTree } from '../../workspace-tree';
import { OutputMemory } from '../../../write/output-memory';
import { OutputError } from '../../../write/output-error';

export interface SyncExecutorOptions {
  check?: boolean;
  prune?: boolean;
  force?: boolean;
  /** Keep running: sync again on every change of the spec. */
  watch?: boolean;
}

/**
 * `nx run api:sync`: the same generation as the generators, on a tree over the file system, so
 * nothing reaches the disk until the whole plan is known; `--check` never flushes it. Like the
 * CLI, it starts from the previous run's output where that is exact (incremental/), and under
 * `--watch` keeps what it knows of the output between runs.
 */
export default async function syncExecutor(
  options: SyncExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const stop = new AbortController();
  if (options.watch) for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  return runSync(options, context, stop.signal);
}

/** The executor's work; `--watch` runs until `signal` aborts. */
export async function runSync(
  options: SyncExecutorOptions,
  context: ExecutorContext,
  signal: AbortSignal,
): Promise<{ success: boolean }> {
  const project = context.projectName;
  if (!project) throw new Error('run the sync executor on an api project: nx run <api>:sync');
  const watching = options.watch === true && !options.check;
  // the output as the last run left it, to start from: for this run, or (--watch) for every run of this process
  const memory = outputMemory(context, project, watching);
  const result = await syncOnce(options, context, project, memory);
  if (!watching) return result;
  // --watch: every spec change syncs again; a spec that does not validate is reported and the
  // libraries stay as the last good run left them
  const apiRoot = readProjectConfiguration(new WorkspaceTree(context.root), project).root;
  const spec = path.join(context.root, readConfig(new WorkspaceTree(context.root), apiRoot).spec);
  logger.info(`watching ${path.relative(context.root, spec)} (and the files beside it); Ctrl-C stops`);
  await watchSpec(
    spec,
    async () => {
      const { success } = await syncOnce(options, context, project, memory);
      if (!success) logger.warn('the libraries are kept as the last good run left them; waiting for the next change');
    },
    signal,
  );
  memory?.flush();
  return { success: true };
}

/** Undefined when the project's config cannot be read: the sync then reports that, as it always did. */
function outputMemory(context: ExecutorContext, project: string, acrossRuns: boolean): OutputMemory | undefined {
  try {
    return new OutputMemory(outputDirectory(new WorkspaceTree(context.root), project), acrossRuns);
  } catch {
    return undefined;
  }
}

async function syncOnce(
  options: SyncExecutorOptions,
  context: ExecutorContext,
  project: string,
  memory: OutputMemory | undefined,
): Promise<{ success: boolean }> {
  const tree = new WorkspaceTree(context.root);
  try {
    const report = await syncLibraries(tree, project, {
      force: options.force,
      prune: options.prune,
      log: context.isVerbose ? (line) => logger.info(line) : undefined,
      warn: (line) => logger.warn(line),
      memory,
    });
    for (const line of formatReport(report, { check: options.check })) logger.info(line);
    if (options.check) {
      if (!hasDrift(report)) {
        report.remember?.();
        return { success: true };
      }
      logger.error(
        `drift: run \`nx run ${project}:sync\` and commit the result${report.libraries.some((l) => l.status === 'held') ? ' (held libraries: move hand edits into files of your own, or --force)' : ''}`,
      );
      return { success: false };
    }
    await flushTree(tree);
    report.remember?.();
    const held = report.libraries.filter((l) => l.status === 'held');
    if (held.length)
      logger.warn(
        `hand edits kept in ${held.map((l) => l.project).join(', ')}: move them into files of your own, or pass --force to overwrite`,
      );
    return { success: true };
  } catch (error) {
    // what to do next, where the error says it (an output folder that cannot be written safely)
    logger.error(error instanceof OutputError ? `${error.message}; ${error.hint}` : (error as Error).message);
    return { success: false };
  }
}
