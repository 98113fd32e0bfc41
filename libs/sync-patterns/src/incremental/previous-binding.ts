import type { PreviousBinding } from './binding-record';
import type { OpenApiDocument } from '../openapi/load-spec';
import { changedEntries, type DocumentUnits } from './document-units';
import type { LoadedState } from './incremental-state';

/**
 * The last run's binding for this one to start from (build-model.ts: bindSpec), when the document
 * changed only inside components.schemas — same options and generator, same text outside them, the
 * same schema names in the same order — with the entries whose text changed. Undefined otherwise:
 * everything is bound again.
 */
export function previousBinding(
  previous: LoadedState | undefined,
  units: DocumentUnits,
  options: string,
  document?: OpenApiDocument,
): PreviousBinding | undefined {
  const state = previous?.state;
  if (!state?.binding || state.options !== options || state.restHash !== units.restHash) return undefined;
  const entries = changedEntries(state.schemas, units.schemas);
  if ('mismatch' in entries) return undefined;
  const changed = new Set(entries.changed.map((i) => units.schemas[i].name));
  return { record: state.binding, changed, ...(document ? { document } : {}) };
}
