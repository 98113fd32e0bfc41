import { readFile } from 'node:fs/promises';
import { canonicalizeOwned } from '../openapi/canonicalize';
import { mayHaveExternalRefs, type LoadedSpec } from '../openapi/load-spec';
import { MAX_NESTING, tooDeepAt } from '../openapi/nesting';
import { schemaEntries } from './document-units';
import type { LoadedState } from './incremental-state';
import { editedEntry, type EditedEntry } from './reused-units';

/** What a long-running process keeps of its last run's spec: the record (its text and spans) and the document read from it. */
export interface KeptSpec {
  state: LoadedState;
  spec: Pick<LoadedSpec, 'document' | 'version'>;
}

/**
 * The spec as saved now, made from the last run's document when the save edited one schema entry
 * (reused-units.ts tells): only that entry's text is parsed and put in canonical order, the rest of
 * the document is the last run's objects — the same JSON as a full parse, without parsing a 13 MB
 * document again. Nothing in a run changes the document (the emitters copy what they alter), and
 * what is worked out per schema object is kept per document (schema-utils.ts). Undefined when it
 * cannot be shown, or the edit brings in a `$ref` to another file: the caller loads the spec whole.
 * The edit found is handed on, for the units (reused-units.ts) not to look for it again.
 */
export async function patchedSpec(
  kept: KeptSpec,
  file: string,
): Promise<{ spec: LoadedSpec; edit: EditedEntry } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  const text = bytes.toString('utf8');
  const edit = editedEntry(kept.state, text);
  if (!edit) return undefined;
  const entryText = text.slice(edit.span[0], edit.span[1]);
  if (mayHaveExternalRefs(entryText)) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(entryText);
  } catch {
    return undefined;
  }
  // too deep (it sits 3 levels down, at components/schemas/<name>): the full load reports where
  if (tooDeepAt(entry, MAX_NESTING - 3) !== undefined) return undefined;
  const name = kept.state.state.schemas[edit.index].name;
  const before = kept.spec.document;
  const schemas = schemaEntries(before);
  if (!Object.prototype.hasOwnProperty.call(schemas, name)) return undefined;
  // new objects down to the edited entry, in the same key order; every other object is the last run's
  const document = {
    ...before,
    components: { ...(before['components'] as object), schemas: { ...schemas, [name]: canonicalizeOwned(entry) } },
  };
  return { spec: { file, document, version: kept.spec.version, text, bytes, fromJsonText: true }, edit };
}
