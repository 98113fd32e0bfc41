import type { LoadedSpec, OpenApiDocument } from '../openapi/load-spec';
import { ReadRecorder } from '../openapi/read-tracking';
import { carryIndex } from '../model/bind-operations';
import { buildModel, type BindingHooks, type BuildOptions, type SpecWide } from '../model/build-model';
import type { SyncApi, SyncModel } from '../model/ir';
import {
  listingChanges,
  readsAny,
  sameOutsideSchemas,
  type BindingRecord,
  type CandidateRecord,
  type PreviousBinding,
} from './binding-record';

/** The spec-wide part as worked out for a document this process holds (binding-record.ts: sameOutsideSchemas). */
const specWideOf = new WeakMap<OpenApiDocument, SpecWide>();

/**
 * buildModel, and the record of it for the next run; a schema whose binding read nothing that
 * changed since `previous` takes its outcome from there (a one-schema edit binds that schema again,
 * and those that read it or that a GET now lists differently, not all of them).
 */
export function bindSpec(
  spec: LoadedSpec,
  options: BuildOptions = {},
  previous?: PreviousBinding,
): { api: SyncApi; record: BindingRecord } {
  const reuse = bindingReuse(spec, options, previous);
  const api = buildModel(spec, options, reuse.hooks);
  return { api, record: reuse.record() };
}

/** The hooks (build-model.ts: BindingHooks) that reuse `previous`, recording what each part read. */
function bindingReuse(
  spec: LoadedSpec,
  options: BuildOptions,
  previous: PreviousBinding | undefined,
): { hooks: BindingHooks; record: () => BindingRecord } {
  const { document, file } = spec;
  const recorder = ReadRecorder.of(document);
  const scope = JSON.stringify([file, options.allModels === true, options.models ?? []]);
  const last =
    previous && previous.record.scope === scope && !readsAny(previous.record.specWideReads, previous.changed)
      ? previous
      : undefined;
  const changed = last?.changed ?? new Set<string>();
  const lastOutcomes = new Map(last?.record.candidates.map((c) => [c.name, c]));
  const rebind = (name: string) => !lastOutcomes.has(name) || readsAny(lastOutcomes.get(name)!.reads, changed);

  // x-sync-defaults, the operations and their explicit bindings: read now, or (when the last run's
  // still hold) only once some schema is bound again — their diagnostics are the last run's then
  let specWideReads = last?.record.specWideReads ?? [];
  let specWideDiagnostics = last?.record.specWideDiagnostics ?? [];
  let listingReads = last?.record.listingReads ?? [];
  let listings = last?.record.listings ?? [];
  // a GET may list other models now (a response's wrapper changed): those are bound again too
  let relisted = new Set<string>();
  const outcomes: CandidateRecord[] = [];

  const hooks: BindingHooks = {
    specWide(work, candidates) {
      const read = (into: CandidateRecord['diagnostics']): SpecWide => {
        // a document held from the last run shares its operations (and so read the same schemas)
        const held =
          last?.document && sameOutsideSchemas(last.document, document) ? specWideOf.get(last.document) : undefined;
        let result = held;
        if (!result) {
          const found = recorder.recording(() => work.read(into));
          specWideReads = [...found.reads].sort();
          result = found.result;
        }
        specWideOf.set(document, result);
        // the same operations, and nothing their listings read changed: the same index
        if (held && !readsAny(listingReads, changed)) carryIndex(held.operations, last!.document!, document);
        const found = recorder.recording(() => work.listings(result));
        listingReads = [...found.reads].sort();
        listings = [...found.result];
        return result;
      };
      let specWide: SpecWide | undefined;
      if (!last) {
        specWideDiagnostics = [];
        specWide = read(specWideDiagnostics);
      } else if (readsAny(listingReads, changed) || candidates.some(rebind)) {
        const before = listings;
        specWide = read([]);
        relisted = listingChanges(before, new Map(listings));
      }
      return { specWide: () => (specWide ??= read([])), diagnostics: specWideDiagnostics };
    },
    candidate(name, bind) {
      const kept = lastOutcomes.get(name);
      if (kept && !rebind(name) && !relisted.has(name)) {
        outcomes.push(kept);
        return {
          ...(kept.model !== undefined ? { model: JSON.parse(kept.model) as SyncModel } : {}),
          diagnostics: kept.diagnostics,
        };
      }
      const { result, reads } = recorder.recording(bind);
      reads.add(name);
      // kept before names and embeddings are given: those are worked out again over all models
      outcomes.push({
        name,
        reads: [...reads].sort(),
        ...(result.model ? { model: JSON.stringify(result.model) } : {}),
        diagnostics: result.diagnostics,
      });
      return result;
    },
  };
  return {
    hooks,
    record: () => ({ scope, specWideReads, specWideDiagnostics, listingReads, listings, candidates: outcomes }),
  };
}
