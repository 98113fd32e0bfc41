import type { Diagnostic } from '../openapi/diagnostics';
import type { OpenApiDocument } from '../openapi/load-spec';
import { isObject } from '../model/schema-utils';

/**
 * What binding found, kept for the next run (incremental-state.ts): each schema's
 * outcome — its model before names are given, the diagnostics it raised — with the component
 * schemas it read, and what the spec-wide part read and found. Valid for a document that differs
 * from this one only inside components.schemas, with the same schema names
 * (previous-binding.ts).
 */
export interface BindingRecord {
  /** The spec file as diagnostics name it, and the options that choose the candidates. */
  scope: string;
  /** Schemas read by x-sync-defaults, listing the operations and their explicit bindings. */
  specWideReads: string[];
  /** The diagnostics of that part. */
  specWideDiagnostics: Diagnostic[];
  /** Schemas read working out which models each GET lists, and what it found (pointer → models). */
  listingReads: string[];
  listings: [string, readonly string[]][];
  candidates: CandidateRecord[];
}

export interface CandidateRecord {
  name: string;
  /** Component schemas its binding read, its own included. */
  reads: string[];
  /** The model (JSON), before names and embeddings are given; absent when the schema is no model. */
  model?: string;
  diagnostics: Diagnostic[];
}

/** The last run's binding, and which schema entries changed since (their text). */
export interface PreviousBinding {
  record: BindingRecord;
  changed: ReadonlySet<string>;
  /** The last run's document, when this process still holds it: its operations can be taken as read. */
  document?: OpenApiDocument;
}

export const readsAny = (reads: readonly string[], changed: ReadonlySet<string>) =>
  reads.some((name) => changed.has(name));

/** The models whose list operations differ between two listings: each is bound again. */
export function listingChanges(
  before: readonly [string, readonly string[]][],
  after: ReadonlyMap<string, readonly string[]>,
): Set<string> {
  const changed = new Set<string>();
  const earlier = new Map(before);
  for (const pointer of new Set([...earlier.keys(), ...after.keys()])) {
    const a = earlier.get(pointer) ?? [];
    const b = after.get(pointer) ?? [];
    if (a.length === b.length && a.every((model, i) => model === b[i])) continue;
    for (const model of [...a, ...b]) changed.add(model);
  }
  return changed;
}

/** Both documents hold the same objects everywhere outside components.schemas (as a document --watch patched does: patched-spec.ts). */
export function sameOutsideSchemas(a: OpenApiDocument, b: OpenApiDocument): boolean {
  const same = (x: Record<string, unknown>, y: Record<string, unknown>, skip: string) => {
    const keys = Object.keys(x);
    return (
      keys.length === Object.keys(y).length &&
      keys.every((key) => key === skip || (Object.prototype.hasOwnProperty.call(y, key) && x[key] === y[key]))
    );
  };
  const componentsA = a['components'];
  const componentsB = b['components'];
  return (
    same(a, b, 'components') &&
    (componentsA === componentsB ||
      (isObject(componentsA) && isObject(componentsB) && same(componentsA, componentsB, 'schemas')))
  );
}
