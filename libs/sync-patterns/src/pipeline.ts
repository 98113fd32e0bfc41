import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { emitApi, emitApiParts } from './emit/emit-api';
import { inThreadPrinter, sharedWorkerPrinter } from './emit/entry-printer';
import { printerLoaded } from './json-schema/openapi-typescript-transform';
import { OutputMemory } from './write/output-memory';
import { sortFiles } from './emit/file-set';
import { knownLooseMaps } from './json-schema/inhabitable-maps';
import { discriminatorRecord } from './json-schema/discriminator-tags';
import { documentUnits, type DocumentUnits, type SchemaFacts } from './incremental/document-units';
import { apiSummary, emitIncrementally, storedModel } from './incremental/incremental-emit';
import { apiNames, validatorSeeds } from './emit/core/api-names';
import {
  cacheDisabled,
  cacheFolder,
  inMemoryState,
  readState,
  recordedInputs,
  recordInputs,
  writeState,
  type IncrementalState,
  type StateInput,
  type StoredModel,
} from './incremental/incremental-state';
import { patchedSpec } from './incremental/patched-spec';
import { reusedUnits, spansOf } from './incremental/reused-units';
import type { Span } from './incremental/schema-spans';
import type { PreviousOutput } from './emit/sqlite/emit-migrations';
import type { GeneratedFile } from './emit/file-set';
import { bindSpec, type BuildOptions } from './model/build-model';
import type { BindingRecord } from './model/binding-record';
import { previousBinding } from './incremental/previous-binding';
import type { SyncApi } from './model/ir';
import { SpecError, collapseRepeats, formatDiagnostic, type Diagnostic } from './openapi/diagnostics';
import type { RefPolicy } from './openapi/confined-refs';
import { loadSpec } from './openapi/load-spec';
import { stackAsSpecError } from './openapi/nesting';
import { inputFingerprint, optionsFingerprint } from './write/input-fingerprint';
import { hashContent, MANIFEST_PATH, parseManifest, type Manifest } from './write/manifest';
import { isNoop, planWrite, type WritePlan } from './write/plan-write';
import { applyPlan, fileReader, outputStat, resolveInside } from './write/write-files';

export interface PipelineOptions extends BuildOptions {
  spec: string;
  /** Where the spec's `$ref`s may lead (files inside its folder; remote hosts only when allowed). */
  refs?: RefPolicy;
  out: string;
  /** How model libraries import the core library (an Nx workspace uses its path alias). */
  coreImport?: string;
  /** Progress lines (stage, counts, time). */
  log?: (line: string) => void;
  /**
   * Warnings about the spec or the options (e.g. a filter that matches nothing), as lines, with the
   * warning each line says (repeats of one kind are summed up in one: collapseRepeats); default: `log`.
   */
  warn?: (line: string, diagnostic: Diagnostic) => void;
  /** Reads the previous generation's files (SQLite migrations are carried over); default: from `out`. */
  previous?: PreviousOutput;
}

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

/** What the next run needs to start from this one's output (incremental/incremental-state.ts). */
interface RunRecord {
  units: DocumentUnits;
  /** A JSON spec's text and its schema entries' spans. */
  spec?: { text: string; spans: Span[] };
  models: StoredModel[];
  core: string[];
  looseMaps?: string[];
  binding: BindingRecord;
}

/**
 * spec → IR → files, with no writes. Throws SpecError when the spec has errors. Starts from the
 * previous run's output where that is exact (incremental/incremental-emit.ts), else emits it all.
 */
export async function emitFromSpec(
  options: PipelineOptions,
  /** Reads the output folder; when given, the run may start from the files there (the CLI's runs, the Nx executor's). */
  read?: (file: string) => string | undefined,
  memory?: OutputMemory,
): Promise<Omit<EmittedRun, 'options'> & { files: GeneratedFile[] }> {
  try {
    return await emitSpec(options, read, memory);
  } catch (error) {
    throw stackAsSpecError(error, options.spec);
  }
}

async function emitSpec(
  options: PipelineOptions,
  read: ((file: string) => string | undefined) | undefined,
  memory: OutputMemory | undefined,
): Promise<Omit<EmittedRun, 'options'> & { files: GeneratedFile[] }> {
  const log = options.log ?? (() => undefined);
  let started = Date.now();
  const manifestText = read && !cacheDisabled() ? read(MANIFEST_PATH) : undefined;
  const manifest = parseManifest(manifestText, options.out);
  // what the output was made from: its manifest says, or (the Nx libraries') the record of the run that wrote it
  const lastInputs = manifest && (manifest.inputs?.fingerprint ?? recordedInputs(cacheFolder(options.out), hashContent(manifestText!)));
  // a run that may start from the previous output starts loading the types printer now, beside this
  // thread, when reading and binding the spec will take long enough to hide it (starting a worker
  // costs more than it saves on a small spec); a process that has it loaded already prints here
  const printer = lastInputs && !printerLoaded() && sizeOf(options.spec) > WORKER_FROM_BYTES ? sharedWorkerPrinter() : inThreadPrinter;
  // a long-running process starts from its last run's document when the save edited one schema entry
  const kept = lastInputs ? memory?.keptFor(lastInputs) : undefined;
  const patched = kept ? await patchedSpec(kept, options.spec) : undefined;
  const spec = patched?.spec ?? (await loadSpec(options.spec, options.refs));
  const paths = Object.keys((spec.document['paths'] as object | undefined) ?? {}).length;
  log(`spec loaded: ${options.spec} (OpenAPI ${spec.version}, ${paths} paths) in ${Date.now() - started} ms${patched ? ", one schema entry parsed again, the rest kept from the last run's" : ''}`);
  const emit = { specLabel: shaping(options).specLabel, coreImport: options.coreImport, previous: options.previous ?? read ?? fileReader(options.out) };
  // the spec's bytes as they were read (a later read could see a newer save)
  const fingerprint = fingerprintOf(options, spec.bytes ?? spec.text);
  const fromPrevious = read !== undefined && !cacheDisabled() && fingerprint !== undefined;
  // the previous run's record, and this document cut into units (hashed schema entries) to compare with it
  const previous = fromPrevious && lastInputs ? (kept ? kept.state : readState(cacheFolder(options.out), lastInputs)) : undefined;
  const jsonText = spec.fromJsonText ? spec.text : undefined;
  const reused = previous && jsonText !== undefined ? reusedUnits(previous, jsonText, spec.document, patched?.edit) : undefined;
  const units = fromPrevious ? (reused?.units ?? documentUnits(spec.document, previous ? knownFacts(previous.state) : undefined)) : undefined;
  started = Date.now();
  const optionsPrint = optionsFingerprint(shaping(options));
  const { api, record: binding } = bindSpec(spec, options, units && previousBinding(previous, units, optionsPrint, kept ? kept.spec.document : undefined));
  const errors = api.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new SpecError(errors, collapseRepeats(api.diagnostics.filter((d) => d.severity === 'warning')));
  const warn = options.warn ?? log;
  for (const d of collapseRepeats(api.diagnostics.filter((d) => d.severity === 'warning'))) warn(formatDiagnostic(d), d);
  log(
    `models bound: ${api.models.length} (${api.models
      .map((m) => m.schemaName)
      .slice(0, 10)
      .join(', ')}${api.models.length > 10 ? ', …' : ''}) in ${Date.now() - started} ms`,
  );
  started = Date.now();
  if (!units || read === undefined) {
    const files = await emitApi(api, emit);
    log(`files emitted: ${files.length} in ${Date.now() - started} ms`);
    return { api, files, fingerprint };
  }
  const spans = reused ? reused.spans : spansOf(jsonText, units);
  const specRecord = jsonText !== undefined && spans ? { text: jsonText, spans } : undefined;
  const recordOf = (models: StoredModel[], core: string[]): RunRecord => ({ units, spec: specRecord, models, core, looseMaps: looseMapPointers(api), binding });
  const why = !lastInputs ? 'no previous output' : !previous ? 'no record of the previous run' : undefined;
  const incremental =
    previous && manifest
      ? await emitIncrementally({
          api,
          units,
          previous,
          options: optionsPrint,
          read,
          manifest,
          emit,
          printer,
          hashOf: memory && ((file, content) => memory.hashOf(file, content)),
          stat: (file) => (memory ? memory.stat(file) : outputStat(options.out, file)),
        })
      : { fallback: why! };
  if ('files' in incremental) {
    const { files, changed, emitted, models, core } = incremental;
    log(
      `files emitted: ${files.length} in ${Date.now() - started} ms, from the previous run's (${changed.length} schema(s) changed${changed.length ? `: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}` : ''}; ${emitted.length} model librar${emitted.length === 1 ? 'y' : 'ies'} emitted again)`,
    );
    return { api, files, record: recordOf(models, core), fingerprint };
  }
  const { core, models } = emitApiParts(api, emit);
  const files = sortFiles([...core, ...[...models.values()].flatMap((m) => m.files)]);
  log(`files emitted: ${files.length} in ${Date.now() - started} ms (a full run: ${incremental.fallback})`);
  const stored = api.models.map((m) => {
    const { files: made, reads } = models.get(m.schemaName)!;
    return storedModel(m, made, reads);
  });
  return {
    api,
    files,
    record: recordOf(
      stored,
      core.map((f) => f.path),
    ),
    fingerprint,
  };
}

function looseMapPointers(api: SyncApi): string[] | undefined {
  const known = knownLooseMaps(api.document);
  return known && [...known.values()];
}

/** The facts of the schema entries a previous run saw, by hash (an entry's facts follow from its text). */
function knownFacts(state: IncrementalState): (hash: string) => SchemaFacts | undefined {
  const byHash = new Map(state.schemas.map(({ inert, refs, marks, flags, discriminated, hash }) => [hash, { inert, refs, marks, flags, discriminated }]));
  byHash.set(state.restHash, { ...state.rest, inert: false, flags: '' });
  return (hash) => byHash.get(hash);
}

/** The spec size from which the types printer loads in a worker (Stripe's 2.5 MB takes ~0.15 s to read and bind). */
const WORKER_FROM_BYTES = 512 * 1024;

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** What emitFromSpec made, to be remembered once its files are on disk (rememberRun). */
export interface EmittedRun {
  options: PipelineOptions;
  api: SyncApi;
  record?: RunRecord;
  fingerprint?: string;
}

/**
 * After `plan` was applied to the output folder (or found it up to date): what the next run starts
 * from. The memory learns what was written, and the run's record is left (a cache: failures are
 * ignored) — with, for an output whose manifest does not name its inputs (the Nx libraries'), which
 * inputs those were, by the manifest's hash.
 */
export function rememberRun(run: EmittedRun, plan: WritePlan, memory: OutputMemory): void {
  memory.applied(plan);
  const { options, api, record, fingerprint } = run;
  if (!record || fingerprint === undefined) return;
  recordRun(options, api, record, fingerprint, plan, memory);
  if (!plan.inputs) recordInputs(cacheFolder(options.out), hashContent(plan.manifest), fingerprint);
}

function recordRun(options: PipelineOptions, api: SyncApi, record: RunRecord, fingerprint: string, plan: WritePlan, memory: OutputMemory): void {
  const { units } = record;
  const stats: Record<string, [number, number]> = {};
  for (const file of Object.keys(plan.hashes)) {
    const stat = memory.stat(file);
    if (stat) stats[file] = stat;
  }
  const state: StateInput = {
    fingerprint,
    options: optionsFingerprint(shaping(options)),
    restHash: units.restHash,
    rest: units.rest,
    schemas: units.schemas,
    names: { seeds: validatorSeeds(api), validators: [...apiNames(api).validators] },
    summary: apiSummary(api),
    models: record.models,
    core: record.core,
    looseMaps: record.looseMaps,
    discriminators: discriminatorRecord(api.document),
    stats,
    spec: record.spec,
    binding: record.binding,
  };
  const folder = cacheFolder(options.out);
  // a long-running process hands the record to its next run in memory, and writes it once it has answered
  if (memory.acrossRuns) memory.keep({ state: inMemoryState(state), spec: { document: api.document, version: api.version } }, () => writeState(folder, state));
  else writeState(folder, state);
}

/** The options that shape the output, with how headers name the spec: what fingerprints cover. */
function shaping(options: PipelineOptions) {
  const { models, allModels, apiName, filters, coreImport } = options;
  const specLabel = path.relative(path.resolve(options.out), path.resolve(options.spec)).split(path.sep).join('/');
  return { specLabel, models, allModels, apiName, filters, coreImport };
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const warnings: Diagnostic[] = [];
  const warn = options.warn ?? options.log;
  // one read of each output file per run: the incremental emit and the plan both look at them
  const memory = options.memory ?? new OutputMemory(options.out, false);
  const read = memory.reader();
  const { api, files, record, fingerprint } = await emitFromSpec({ ...options, warn: (line, d) => (warnings.push(d), warn?.(line, d)) }, read, memory);
  const inputs = fingerprint === undefined ? undefined : { fingerprint, models: api.models.map((m) => m.schemaName), warnings };
  const plan = planWrite(files, read, {
    where: options.out,
    force: options.force,
    prune: options.prune,
    inputs,
    hashOf: (file, content) => memory.hashOf(file, content),
    known: (file) => memory.knownBytes(file),
  });
  if (plan.handEdited.length && !options.force) throw new HandEditError(plan.handEdited, options.out);
  if (!options.dryRun && !isNoop(plan)) {
    const started = Date.now();
    await applyPlan(options.out, plan);
    options.log?.(`written: ${plan.create.length} created, ${plan.update.length} updated, ${plan.deletes.length} deleted in ${Date.now() - started} ms`);
  } else options.log?.(options.dryRun ? 'written: nothing (dry run)' : 'written: nothing, already up to date');
  if (!options.dryRun) rememberRun({ options, api, record, fingerprint }, plan, memory);
  return { api, files, plan };
}

/** What `generate` would change; `drift` is false only when the output is exactly up to date. */
export async function check(options: PipelineOptions): Promise<GenerateResult & { drift: boolean }> {
  const memory = new OutputMemory(options.out, false);
  const read = memory.reader();
  const { api, files } = await emitFromSpec(options, read, memory);
  const plan = planWrite(files, read, { where: options.out, hashOf: (file, content) => memory.hashOf(file, content) });
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
  if (!Array.isArray(warnings) || !warnings.every((w) => typeof w === 'object' && w !== null && typeof w.message === 'string')) return undefined;
  return { ...manifest.inputs, warnings, files: Object.keys(manifest.files).length };
}

function fingerprintOf(options: PipelineOptions, specBytes?: string | Buffer): string | undefined {
  let text = specBytes;
  try {
    text ??= readFileSync(options.spec);
  } catch {
    return undefined;
  }
  return inputFingerprint(text, shaping(options));
}
