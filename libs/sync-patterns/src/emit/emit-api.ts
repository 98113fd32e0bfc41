import type { SyncApi, SyncModel } from '../model/ir';
import { emitCore } from './core/emit-core';
import { sortFiles, type GeneratedFile } from './file-set';
import type { PreviousOutput } from './sqlite/emit-migrations';
import type { EmitContext } from './target';
import { FRAMEWORK_TARGETS, MODE_TARGETS } from './targets';

export interface EmitOptions {
  /** How model libraries import the core library; default: a relative path inside the output directory. */
  coreImport?: string;
  /** How generated headers name the spec (a path relative to the output directory keeps output machine-independent). */
  specLabel?: string;
  /**
   * The previous generation's files (paths inside the output directory): SQLite migrations already
   * generated are carried over, never rewritten. Default: none, a first generation.
   */
  previous?: PreviousOutput;
}

/** IR → every file of the api's libraries, sorted by path. Pure: no file system, no clock. */
export async function emitApi(api: SyncApi, options: EmitOptions = {}): Promise<GeneratedFile[]> {
  const core = emitCore(api, options.specLabel ?? api.specFile);
  return sortFiles([...core, ...api.models.flatMap((model) => emitModel(api, model, options))]);
}

/** One model's library, by the target of its sync mode (targets.ts). */
export function emitModel(api: SyncApi, model: SyncModel, options: EmitOptions = {}): GeneratedFile[] {
  return MODE_TARGETS[model.sync.mode].emitModel(emitContext(api, options), model);
}

/** The one context object every target is called with. */
export function emitContext(api: SyncApi, options: EmitOptions = {}): EmitContext {
  return {
    api,
    specLabel: options.specLabel ?? api.specFile,
    coreImport: options.coreImport ?? '../../../core/src',
    previous: options.previous ?? (() => undefined),
    framework: FRAMEWORK_TARGETS.react,
  };
}
