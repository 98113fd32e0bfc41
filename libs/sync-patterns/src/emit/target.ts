import type { SyncApi, SyncMode, SyncModel } from '../model/ir';
import type { GeneratedFile } from './file-set';
import type { LiveView } from './live/live-view';
import type { OperationsView } from './operations/operations-view';
import type { ListSample, PushSpecView } from './rest/push-spec-view';
import type { PushView } from './rest/push-view';
import type { PreviousOutput } from './sqlite/emit-migrations';

/**
 * The contract between the generator and what it generates. An api's output is the core library
 * (targets `core`) plus one library per model, made by the target of the model's sync mode; each
 * mode target writes the framework-free files (types, API functions, validators, query options or
 * a collection) and asks the UI framework target for the hooks file. A new sync mode, framework
 * or language is a folder implementing one of these interfaces, added to the table in targets.ts.
 */
export interface EmitContext {
  api: SyncApi;
  /** How generated headers name the spec (relative to the output directory: machine-independent output). */
  specLabel: string;
  /** How model libraries import the core library. */
  coreImport: string;
  /** The previous generation's files: SQLite migrations already generated are carried over, never rewritten. */
  previous: PreviousOutput;
  /** The UI framework whose hooks the model libraries export. */
  framework: FrameworkTarget;
}

/** A sync mode: one model's library. */
export interface ModeTarget {
  readonly mode: SyncMode;
  emitModel(ctx: EmitContext, model: SyncModel): GeneratedFile[];
}

/**
 * What every mode's templates print: the REST layer's view, the file header, and the samples of
 * the model's generated test (absent without a sample row: no test then).
 */
export type ModelView = PushView & { spec?: PushSpecView; header: string };
export type LiveModelView = ModelView & { live: LiveView };
/** Cache mode's: with how long a result stays fresh (x-sync `ttl`), a literal. */
export type CacheModelView = ModelView & { cache: { ttl: string } };

/** What a generated test prints: a mode's view with the samples the test is written from (present). */
export type TestView<V extends ModelView, S extends PushSpecView = PushSpecView> = V & { spec: S };
/** Cache mode's generated test reads the list: its sample is present too. */
export type CacheTestView = TestView<CacheModelView, PushSpecView & { list: ListSample }>;

/**
 * A UI framework: the `<model>.hooks.ts` file of a model library in each mode — the same unified
 * interface (data, status, error, optimistic writes) in the framework's idiom, over the mode's
 * framework-free files.
 */
export interface FrameworkTarget {
  readonly name: string;
  hooks: {
    push(view: ModelView): string;
    live(view: LiveModelView): string;
    cache(view: ModelView): string;
  };
  /** The hooks of a library's other operations (`operation-hooks.ts`): query and mutation hooks, in every mode alike. */
  operationHooks(view: OperationsView): string;
}
