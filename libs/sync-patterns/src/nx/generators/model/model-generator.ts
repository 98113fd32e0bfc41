import { formatFiles, logger, type Tree } from '@nx/devkit';
import { formatReport } from '../../report';
import { syncLibraries } from '../../sync-libraries';

export interface ModelSchema {
  project: string;
  model?: string;
  all?: boolean;
  force?: boolean;
}

/** `nx g sync-patterns:model --project api --model Todo` (or `--all`) */
export async function modelGenerator(tree: Tree, schema: ModelSchema): Promise<void> {
  const models =
    schema.model
      ?.split(',')
      .map((m) => m.trim())
      .filter(Boolean) ?? [];
  if (!schema.all && !models.length)
    throw new Error('name the model with --model <SchemaName> (or pass --all for every x-sync model)');
  const report = await syncLibraries(tree, schema.project, {
    only: schema.all ? undefined : models,
    force: schema.force,
  });
  for (const line of formatReport(report)) logger.info(line);
  const held = report.libraries.filter((l) => l.status === 'held');
  if (held.length)
    logger.warn(
      `hand edits kept in ${held.map((l) => l.project).join(', ')}: move them into files of your own, or pass --force to overwrite`,
    );
  // init listed the generated sources in .prettierignore: only scaffold files get formatted
  await formatFiles(tree);
}

export default modelGenerator;
