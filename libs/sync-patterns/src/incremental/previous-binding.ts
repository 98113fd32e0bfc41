import type { PreviousBinding } from '../model/binding-record';
import type { OpenApiDocument } from '../spec/load-spec';
import type { DocumentUnits } from './document-units';
import type { LoadedState } from './incremental-state';

/**
 * The last run's binding for this one to start from (build-model.ts: bindSpec), when the document
 * changed only inside components.schemas — same options and generator, same text outside them, the
 * same schema names in the same order — with the entries whose text changed. Undefined otherwise:
 * everything is bound again.
 */
export function previousBinding(previous: LoadedState | undefined, units: DocumentUnits, options: string, document?: OpenApiDocument): PreviousBinding | undefined {
  const state = previous?.state;
  if (!state?.binding || state.options !== options || state.restHash !== units.restHash || state.schemas.length !== units.schemas.length) return undefined;
  const changed = new Set<string>();
  for (let i = 0; i < units.schemas.length; i++) {
    const before = state.schemas[i];
    const after = units.schemas[i];
    if (before.name !== after.name) return undefined;
    if (before.hash !== after.hash) changed.add(after.name);
  }
  return { record: state.binding, changed, ...(document ? { document } : {}) };
}
