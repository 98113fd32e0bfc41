import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { emitApi } from './emit/emit-api';
import type { PreviousOutput } from './emit/sqlite/emit-migrations';
import type { GeneratedFile } from './emit/file-set';
import { buildModel, type BuildOptions } from './model/build-model';
import type { SyncApi } from './model/ir';
import { SpecError, formatDiagnostic } from './spec/diagnostics';
import { loadSpec } from './spec/load-spec';
import { inputFingerprint } from './write/input-fingerprint';
import { hashContent, MANIFEST_PATH, parseManifest, type Manifest } from './write/manifest';
import { isNoop, planWrite, type WritePlan } from './write/plan-write';
import { applyPlan, fileReader, resolveInside } from './write/write-files';

export interface PipelineOptions extends BuildOptions {
  spec: string;
  out: string;
  /** How model libraries import the core library (an Nx workspace uses its path alias). */
  coreImport?: string;
  /** Progress lines (stage, counts, time). */
  log?: (line: string) => void;
  /** Warnings about the spec or the options (e.g. a filter that matches nothing); default: `log`. */
  warn?: (line: string) => void;
  /** Reads the previous generation's files (SQLite migrations are carried over); default: from `out`. */
  previous?: PreviousOutput;
}

export interface GenerateOptions extends PipelineOptions {
  dryRun?: boolean;
  force?: boolean;
  prune?: boolean;
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
    outDir: string,
  ) {
    super(
      `${files.length} generated file(s) in ${outDir} were edited by hand, so nothing was written:\n` +
        files.map((f) => `  ${f}`).join('\n') +
        '\nMove the changes into a file of your own (or revert them), or pass --force to overwrite them.',
    );
  }
}

/** spec → IR → files, with no writes. Throws SpecError when the spec has errors. */
export async function emitFromSpec(options: PipelineOptions): Promise<{ api: SyncApi; files: GeneratedFile[] }> {
  const log = options.log ?? (() => undefined);
  let started = Date.now();
  const spec = await loadSpec(options.spec);
  const paths = Object.keys((spec.document['paths'] as object | undefined) ?? {}).length;
  log(`spec loaded: ${options.spec} (OpenAPI ${spec.version}, ${paths} paths) in ${Date.now() - started} ms`);
  started = Date.now();
  const api = buildModel(spec, options);
  const errors = api.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new SpecError(errors);
  const warn = options.warn ?? log;
  for (const d of api.diagnostics) if (d.severity === 'warning') warn(formatDiagnostic(d));
  log(
    `models bound: ${api.models.length} (${api.models
      .map((m) => m.schemaName)
      .slice(0, 10)
      .join(', ')}${api.models.length > 10 ? ', …' : ''}) in ${Date.now() - started} ms`,
  );
  started = Date.now();
  const specLabel = path.relative(path.resolve(options.out), path.resolve(options.spec)).split(path.sep).join('/');
  const files = await emitApi(api, { specLabel, coreImport: options.coreImport, previous: options.previous ?? fileReader(options.out) });
  log(`files emitted: ${files.length} in ${Date.now() - started} ms`);
  return { api, files };
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const warnings: string[] = [];
  const warn = options.warn ?? options.log;
  const { api, files } = await emitFromSpec({ ...options, warn: (line) => (warnings.push(line), warn?.(line)) });
  const fingerprint = fingerprintOf(options);
  const inputs = fingerprint === undefined ? undefined : { fingerprint, models: api.models.map((m) => m.schemaName), warnings };
  const plan = planWrite(files, fileReader(options.out), { force: options.force, prune: options.prune, inputs });
  if (plan.handEdited.length && !options.force) throw new HandEditError(plan.handEdited, options.out);
  if (!options.dryRun && !isNoop(plan)) {
    const started = Date.now();
    await applyPlan(options.out, plan);
    options.log?.(`written: ${plan.create.length} created, ${plan.update.length} updated, ${plan.deletes.length} deleted in ${Date.now() - started} ms`);
  } else options.log?.(options.dryRun ? 'written: nothing (dry run)' : 'written: nothing, already up to date');
  return { api, files, plan };
}

/** What `generate` would change; `drift` is false only when the output is exactly up to date. */
export async function check(options: PipelineOptions): Promise<GenerateResult & { drift: boolean }> {
  const { api, files } = await emitFromSpec(options);
  const plan = planWrite(files, fileReader(options.out));
  const drift = plan.create.length + plan.update.length + plan.stale.length + plan.handEdited.length > 0;
  return { api, files, plan, drift };
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
  const manifest = parseManifest(fileReader(options.out)(MANIFEST_PATH));
  if (!manifest?.inputs || manifest.inputs.fingerprint !== fingerprint) return undefined;
  for (const [file, hash] of Object.entries(manifest.files)) {
    try {
      if (hashContent(readFileSync(resolveInside(options.out, file))) !== hash) return undefined;
    } catch {
      return undefined;
    }
  }
  return { ...manifest.inputs, warnings: manifest.inputs.warnings ?? [], files: Object.keys(manifest.files).length };
}

function fingerprintOf(options: PipelineOptions): string | undefined {
  let text: string;
  try {
    text = readFileSync(options.spec, 'utf8');
  } catch {
    return undefined;
  }
  const specLabel = path.relative(path.resolve(options.out), path.resolve(options.spec)).split(path.sep).join('/');
  const { models, allModels, apiName, filters, coreImport } = options;
  return inputFingerprint(text, { specLabel, models, allModels, apiName, filters, coreImport });
}
