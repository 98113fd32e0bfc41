import type { SyncApi } from '../model/ir';
import { emitCacheModel } from './emit-cache-model';
import { emitCore } from './emit-core';
import { emitLiveModel } from './emit-live-model';
import { emitPushModel } from './emit-push-model';
import { sortFiles, type GeneratedFile } from './file-set';
import type { PreviousOutput } from './sqlite/emit-migrations';

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
  const specLabel = options.specLabel ?? api.specFile;
  const coreImport = options.coreImport ?? '../../../core/src';
  const files = emitCore(api, specLabel);
  for (const model of api.models) {
    if (model.sync.mode === 'push') files.push(...emitPushModel(api, model, specLabel, coreImport));
    else if (model.sync.mode === 'live') files.push(...emitLiveModel(api, model, specLabel, coreImport, options.previous ?? (() => undefined)));
    else if (model.sync.mode === 'cache') files.push(...emitCacheModel(api, model, specLabel, coreImport));
  }
  return sortFiles(files);
}
