import type { GeneratedFile } from '../emit/file-set';
import { previousRun } from '../incremental/previous-run';
import { noReuse, type Reuse } from '../incremental/reuse';
import { cacheDisabled } from '../incremental/incremental-state';
import type { SyncApi } from '../model/ir';
import { SpecError, collapseRepeats, formatDiagnostic, type Diagnostic } from '../openapi/diagnostics';
import { loadSpec, type LoadedSpec } from '../openapi/load-spec';
import { stackAsSpecError } from '../openapi/nesting';
import type { Manifest } from '../write/manifest';
import type { OutputMemory } from '../write/output-memory';
import type { WritePlan } from '../write/plan-write';
import { fileReader } from '../write/write-files';
import { fingerprintOf, shaping, type PipelineOptions } from './run-options';

/**
 * The stages of one run over one spec — load, bind, emit, and remembering what was written — each
 * with its progress line. pipeline.ts and the Nx plugin drive them; whether a stage starts from the
 * last run's work is the Reuse's business (incremental/reuse.ts), never the stage's.
 */
export class Run {
  /** The inputs' fingerprint (write/input-fingerprint.ts), known once the spec is loaded. */
  fingerprint: string | undefined;
  private readonly log: (line: string) => void;
  private readonly warnings: Diagnostic[] = [];

  /**
   * With `memory` (the output folder as read from disk), the run starts from the last run's work
   * where that is exact, unless SYNC_PATTERNS_NO_CACHE is set; without, it does everything.
   */
  constructor(
    readonly options: PipelineOptions,
    private readonly memory?: OutputMemory,
    private reuse: Reuse = memory && !cacheDisabled() ? previousRun(options, memory) : noReuse,
  ) {
    this.log = options.log ?? (() => undefined);
  }

  async load(): Promise<LoadedSpec> {
    const { options } = this;
    const started = Date.now();
    const { spec, note } = await this.guard(() => this.reuse.load(() => loadSpec(options.spec, options.refs)));
    const paths = Object.keys((spec.document['paths'] as object | undefined) ?? {}).length;
    this.log(
      `spec loaded: ${options.spec} (OpenAPI ${spec.version}, ${paths} paths) in ${Date.now() - started} ms${note ? `, ${note}` : ''}`,
    );
    // the spec's bytes as they were read (a later read could see a newer save)
    this.fingerprint = fingerprintOf(options, spec.bytes ?? spec.text);
    // a spec that refers to other files has no fingerprint: nothing says a later run saw the same inputs
    if (this.fingerprint === undefined) this.reuse = noReuse;
    return spec;
  }

  /** The IR; throws SpecError when the spec has errors, and reports its warnings (each kind once). */
  async bind(spec: LoadedSpec): Promise<SyncApi> {
    const started = Date.now();
    const api = await this.guard(async () => this.reuse.bind(spec, this.options));
    const errors = api.diagnostics.filter((d) => d.severity === 'error');
    const warnings = collapseRepeats(api.diagnostics.filter((d) => d.severity === 'warning'));
    if (errors.length) throw new SpecError(errors, warnings);
    const warn = this.options.warn ?? this.log;
    for (const d of warnings) {
      this.warnings.push(d);
      warn(formatDiagnostic(d), d);
    }
    const names = api.models.map((m) => m.schemaName);
    this.log(
      `models bound: ${names.length} (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}) in ${Date.now() - started} ms`,
    );
    return api;
  }

  async emit(api: SyncApi): Promise<GeneratedFile[]> {
    const { options } = this;
    const started = Date.now();
    const previous = options.previous ?? this.memory?.reader() ?? fileReader(options.out);
    const emitOptions = { specLabel: shaping(options).specLabel, coreImport: options.coreImport, previous };
    const { files, note } = await this.guard(() => this.reuse.emit(api, emitOptions));
    const how = note === undefined ? '' : note.startsWith('from ') ? `, ${note}` : ` (${note})`;
    this.log(`files emitted: ${files.length} in ${Date.now() - started} ms${how}`);
    return files;
  }

  /** What the manifest records of the inputs, so a later run can answer "up to date" from hashes alone. */
  inputs(api: SyncApi): Manifest['inputs'] {
    return this.fingerprint === undefined
      ? undefined
      : { fingerprint: this.fingerprint, models: api.models.map((m) => m.schemaName), warnings: this.warnings };
  }

  /** After `plan` is applied to the output folder (or found it up to date): the memory learns what was written, and the next run's record is left (a cache: failures are ignored). */
  remember(plan: WritePlan): void {
    this.memory?.applied(plan);
    this.reuse.remember(plan, this.fingerprint);
  }

  /** A stage's work, with a stack overflow on a spec's deep chains of $refs reported as a spec error. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw stackAsSpecError(error, this.options.spec);
    }
  }
}
