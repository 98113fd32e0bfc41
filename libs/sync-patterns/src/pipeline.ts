import { readFileSync } from 'node:fs';
import type { GeneratedFile } from './emit/file-set';
import type { SyncApi } from './model/ir';
import { Run } from './run/run';
import { fingerprintOf, type PipelineOptions } from './run/run-options';
import { hashContent, MANIFEST_PATH, parseManifest, type Manifest } from './write/manifest';
import { OutputMemory } from './write/output-memory';
import { isNoop, planWrite, type WritePlan } from './write/plan-write';
import { applyPlan, fileReader, resolveInside } from './write/write-files';

export type { PipelineOptions } from './run/run-options';

export interface GenerateOptions extends PipelineOptions {
  dryRun?: boolean;
  force?: boolean;
  prune?: boolean;
  /** Kept across the runs of one process (`--watch`): the output folder's files as last seen. */
  memory?: OutputMemory;
}

export interface GenerateResult {
  api: SyncApi;
  files: GeneratedFile[];
  plan: WritePlan;
}

/** Hand-edited generated files stopped the write; nothing was changed. */
export class HandEditError extends Error {
  override readonly name = 'HandEditError';
  constructor(
    readonly files: string[],
    readonly outDir: string,
  ) {
    super(
      `${files.length} generated file(s) in ${outDir} were edited by hand, so nothing was written:\n` +
        files.map((f) => `  ${f}`).join('\n') +
        '\nMove the changes into a file of your own (or revert them), or pass --force to overwrite them.',
    );
  }
}

/** spec → files on disk: load → bind → emit → plan → apply, and the record the next run starts from. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  // one read of each output file per run: starting from the last run's files and planning both look at them
  const memory = options.memory ?? new OutputMemory(options.out, false);
  const run = new Run(options, memory);
  const spec = await run.load();
  const api = await run.bind(spec);
  const files = await run.emit(api);
  const plan = planWrite(files, memory.reader(), {
    where: options.out,
    force: options.force,
    prune: options.prune,
    inputs: run.inputs(api),
    hashOf: (file, content) => memory.hashOf(file, content),
    known: (file) => memory.knownBytes(file),
  });
  if (plan.handEdited.length && !options.force) throw new HandEditError(plan.handEdited, options.out);
  if (options.dryRun) return (options.log?.('written: nothing (dry run)'), { api, files, plan });
  if (isNoop(plan)) options.log?.('written: nothing, already up to date');
  else {
    const started = Date.now();
    await applyPlan(options.out, plan);
    options.log?.(
      `written: ${plan.create.length} created, ${plan.update.length} updated, ${plan.deletes.length} deleted in ${Date.now() - started} ms`,
    );
  }
  run.remember(plan);
  return { api, files, plan };
}

/** What `generate` would change; `drift` is false only when the output is exactly up to date. */
export async function check(options: PipelineOptions): Promise<GenerateResult & { drift: boolean }> {
  const memory = new OutputMemory(options.out, false);
  const { api, files } = await emitFromSpec(options, memory);
  const plan = planWrite(files, memory.reader(), {
    where: options.out,
    hashOf: (file, content) => memory.hashOf(file, content),
  });
  const drift = plan.create.length + plan.update.length + plan.stale.length + plan.handEdited.length > 0;
  return { api, files, plan, drift };
}

/**
 * load → bind → emit, with no writes: what `check` and the Nx plugin plan their writes from (the
 * plugin into its Tree, per library). Throws SpecError when the spec has errors. With `memory` (the
 * output folder as it is on disk), the run may start from the last run's files; `run.remember`
 * then leaves the record for the next, once its plan is applied.
 */
export async function emitFromSpec(
  options: PipelineOptions,
  memory?: OutputMemory,
): Promise<{ api: SyncApi; files: GeneratedFile[]; run: Run }> {
  const run = new Run(options, memory);
  const api = await run.bind(await run.load());
  return { api, files: await run.emit(api), run };
}

export type UpToDate = NonNullable<Manifest['inputs']> & { files: number };

/**
 * The fast "nothing to do": the manifest records that these exact inputs (spec bytes, options,
 * generator) produced the files in `out`, and every one of them is still byte for byte what was
 * written. Answers from hashes alone — no parsing, no emitting. Undefined means "run the pipeline"
 * (inputs changed, a file was edited or removed, or the spec refers to other files).
 */
export function upToDate(options: PipelineOptions): UpToDate | undefined {
  const fingerprint = fingerprintOf(options);
  if (fingerprint === undefined) return undefined;
  const manifest = parseManifest(fileReader(options.out)(MANIFEST_PATH), options.out);
  if (!manifest?.inputs || manifest.inputs.fingerprint !== fingerprint) return undefined;
  for (const [file, hash] of Object.entries(manifest.files)) {
    try {
      if (hashContent(readFileSync(resolveInside(options.out, file))) !== hash) return undefined;
    } catch {
      return undefined;
    }
  }
  // the warnings as the run that wrote the files gave them (a manifest of another form: the full path)
  const warnings = manifest.inputs.warnings ?? [];
  if (
    !Array.isArray(warnings) ||
    !warnings.every((w) => typeof w === 'object' && w !== null && typeof w.message === 'string')
  )
    return undefined;
  return { ...manifest.inputs, warnings, files: Object.keys(manifest.files).length };
}
