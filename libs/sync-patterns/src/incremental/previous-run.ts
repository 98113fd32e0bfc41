import { statSync } from 'node:fs';
import { emitCore } from '../emit/core/emit-core';
import { apiNames, validatorSeeds } from '../emit/core/api-names';
import { emitModel, type EmitOptions } from '../emit/emit-api';
import { inThreadPrinter, sharedWorkerPrinter, type EntryPrinter } from '../emit/entry-printer';
import { sortFiles, type GeneratedFile } from '../emit/file-set';
import { discriminatorRecord } from '../json-schema/discriminator-tags';
import { knownLooseMaps } from '../json-schema/inhabitable-maps';
import { printerLoaded } from '../json-schema/openapi-typescript-transform';
import type { SyncApi } from '../model/ir';
import type { LoadedSpec } from '../openapi/load-spec';
import { ReadRecorder } from '../openapi/read-tracking';
import { optionsFingerprint } from '../write/input-fingerprint';
import { hashContent, MANIFEST_PATH, parseManifest } from '../write/manifest';
import type { OutputMemory } from '../write/output-memory';
import type { WritePlan } from '../write/plan-write';
import { shaping, type PipelineOptions } from '../run/run-options';
import type { BindingRecord } from './binding-record';
import { bindSpec } from './binding-reuse';
import { documentUnits, type DocumentUnits, type SchemaFacts } from './document-units';
import { apiSummary, emitIncrementally, storedModel } from './incremental-emit';
import {
  cacheFolder,
  inMemoryState,
  readState,
  recordedInputs,
  recordInputs,
  writeState,
  type IncrementalState,
  type StateInput,
  type StoredModel,
} from './incremental-state';
import { patchedSpec } from './patched-spec';
import { previousBinding } from './previous-binding';
import type { Reuse } from './reuse';
import { reusedUnits, spansOf } from './reused-units';
import type { Span } from './schema-spans';

/** What the next run needs to start from this one's output (incremental-state.ts). */
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
 * Reuse of the run that made the output folder's files, as `memory` sees them: its document (a
 * long-running process whose last save edited one schema entry), its binding (binding-reuse.ts),
 * its files (incremental-emit.ts); anything it cannot vouch for is made again. Each answer is
 * what a run from nothing would give, byte for byte (incremental-emit.spec.ts, watch.spec.ts).
 */
export function previousRun(options: PipelineOptions, memory: OutputMemory): Reuse {
  const read = memory.reader();
  const manifestText = read(MANIFEST_PATH);
  const manifest = parseManifest(manifestText, options.out);
  // what the output was made from: its manifest says, or (the Nx libraries') the record of the run that wrote it
  const lastInputs =
    manifest && (manifest.inputs?.fingerprint ?? recordedInputs(cacheFolder(options.out), hashContent(manifestText!)));
  const optionsPrint = optionsFingerprint(shaping(options));
  let printer: EntryPrinter = inThreadPrinter;
  let kept: ReturnType<OutputMemory['keptFor']>;
  let patched: Awaited<ReturnType<typeof patchedSpec>>;
  let units: DocumentUnits;
  let specRecord: RunRecord['spec'];
  let previous: ReturnType<typeof readState>;
  let binding: BindingRecord;
  let api: SyncApi;
  let record: RunRecord | undefined;

  return {
    async load(load) {
      // the types printer starts loading now, beside this thread, when reading and binding the spec
      // will take long enough to hide it (starting a worker costs more than it saves on a small
      // spec); a process that has it loaded already prints here
      if (lastInputs && !printerLoaded() && sizeOf(options.spec) > WORKER_FROM_BYTES) printer = sharedWorkerPrinter();
      // a long-running process starts from its last run's document when the save edited one schema entry
      kept = lastInputs ? memory.keptFor(lastInputs) : undefined;
      patched = kept ? await patchedSpec(kept, options.spec) : undefined;
      const spec = patched?.spec ?? (await load());
      // the previous run's record, and this document cut into units (hashed schema entries) to compare with it
      previous = lastInputs ? (kept ? kept.state : readState(cacheFolder(options.out), lastInputs)) : undefined;
      const jsonText = spec.fromJsonText ? spec.text : undefined;
      const reused =
        previous && jsonText !== undefined ? reusedUnits(previous, jsonText, spec.document, patched?.edit) : undefined;
      units = reused?.units ?? documentUnits(spec.document, previous ? knownFacts(previous.state) : undefined);
      const spans = reused ? reused.spans : spansOf(jsonText, units);
      specRecord = jsonText !== undefined && spans ? { text: jsonText, spans } : undefined;
      return { spec, ...(patched ? { note: "one schema entry parsed again, the rest kept from the last run's" } : {}) };
    },

    bind(spec, buildOptions) {
      ({ api, record: binding } = bindSpec(
        spec,
        buildOptions,
        previousBinding(previous, units, optionsPrint, kept ? kept.spec.document : undefined),
      ));
      return api;
    },

    async emit(bound, emit) {
      const recordOf = (models: StoredModel[], core: string[]): RunRecord => ({
        units,
        spec: specRecord,
        models,
        core,
        looseMaps: looseMapPointers(bound),
        binding,
      });
      const why = !lastInputs ? 'no previous output' : !previous ? 'no record of the previous run' : undefined;
      const incremental =
        previous && manifest
          ? await emitIncrementally({
              api: bound,
              units,
              previous,
              options: optionsPrint,
              read,
              manifest,
              emit,
              printer,
              hashOf: (file, content) => memory.hashOf(file, content),
              stat: (file) => memory.stat(file),
            })
          : { fallback: why! };
      if ('files' in incremental) {
        const { files, changed, emitted, models, core } = incremental;
        record = recordOf(models, core);
        const schemas = `${changed.length} schema(s) changed${changed.length ? `: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}` : ''}`;
        return {
          files,
          note: `from the previous run's (${schemas}; ${emitted.length} model librar${emitted.length === 1 ? 'y' : 'ies'} emitted again)`,
        };
      }
      const { core, models } = emitRecordingReads(bound, emit);
      record = recordOf(
        bound.models.map((m) => storedModel(m, models.get(m.schemaName)!.files, models.get(m.schemaName)!.reads)),
        core.map((f) => f.path),
      );
      return {
        files: sortFiles([...core, ...[...models.values()].flatMap((m) => m.files)]),
        note: `a full run: ${incremental.fallback}`,
      };
    },

    remember(plan, fingerprint) {
      if (!record || fingerprint === undefined) return;
      recordRun(options, api, record, fingerprint, plan, memory);
      if (!plan.inputs) recordInputs(cacheFolder(options.out), hashContent(plan.manifest), fingerprint);
    },
  };
}

/** Every file of a full run: the core library's, and each model's with the component schemas it read. */
function emitRecordingReads(
  api: SyncApi,
  options: EmitOptions,
): { core: GeneratedFile[]; models: Map<string, { files: GeneratedFile[]; reads: Set<string> }> } {
  const recorder = ReadRecorder.of(api.document);
  const core = emitCore(api, options.specLabel ?? api.specFile);
  const models = new Map<string, { files: GeneratedFile[]; reads: Set<string> }>();
  for (const model of api.models) {
    const { result, reads } = recorder.recording(() => emitModel(api, model, options));
    models.set(model.schemaName, { files: result, reads });
  }
  return { core, models };
}

function looseMapPointers(api: SyncApi): string[] | undefined {
  const known = knownLooseMaps(api.document);
  return known && [...known.values()];
}

/** The facts of the schema entries a previous run saw, by hash (an entry's facts follow from its text). */
function knownFacts(state: IncrementalState): (hash: string) => SchemaFacts | undefined {
  const byHash = new Map(
    state.schemas.map(({ inert, refs, marks, flags, discriminated, hash }) => [
      hash,
      { inert, refs, marks, flags, discriminated },
    ]),
  );
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

function recordRun(
  options: PipelineOptions,
  api: SyncApi,
  record: RunRecord,
  fingerprint: string,
  plan: WritePlan,
  memory: OutputMemory,
): void {
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
  if (memory.acrossRuns)
    memory.keep({ state: inMemoryState(state), spec: { document: api.document, version: api.version } }, () =>
      writeState(folder, state),
    );
  else writeState(folder, state);
}
