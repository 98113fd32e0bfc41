import { emitApi, type EmitOptions } from '../emit/emit-api';
import type { GeneratedFile } from '../emit/file-set';
import { buildModel, type BuildOptions } from '../model/build-model';
import type { SyncApi } from '../model/ir';
import type { LoadedSpec } from '../openapi/load-spec';
import type { WritePlan } from '../write/plan-write';

/**
 * How a run may start from the one before it (run/run.ts asks at each stage). The stages stay the
 * same whatever the answer: `noReuse` does all the work every time, and `previousRun`
 * (previous-run.ts) answers from the last run's document, binding and files where that is exact.
 */
export interface Reuse {
  /** The document: `load()`'s, or the last run's with the saved edit patched in; `note` says which. */
  load(load: () => Promise<LoadedSpec>): Promise<{ spec: LoadedSpec; note?: string }>;
  bind(spec: LoadedSpec, options: BuildOptions): SyncApi;
  /** Every file; `note` says how they were made (for the progress line). */
  emit(api: SyncApi, options: EmitOptions): Promise<{ files: GeneratedFile[]; note?: string }>;
  /** Once `plan` is applied (or found the output up to date): what the next run starts from. */
  remember(plan: WritePlan, fingerprint: string | undefined): void;
}

export const noReuse: Reuse = {
  load: async (load) => ({ spec: await load() }),
  bind: (spec, options) => buildModel(spec, options),
  emit: async (api, options) => ({ files: await emitApi(api, options) }),
  remember: () => undefined,
};
