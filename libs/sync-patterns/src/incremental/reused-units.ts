import type { OpenApiDocument } from '../openapi/load-spec';
import { schemaEntries, schemaUnit, type DocumentUnits, type SchemaUnit } from './document-units';
import type { LoadedState } from './incremental-state';
import { commonEnds } from '../write/common-ends';
import { isOneValue, schemaSpans, type Span } from './schema-spans';

export interface UnitsWithSpans {
  units: DocumentUnits;
  /** Each schema entry's span in the text, in the order of `units.schemas`; undefined for YAML or a bundled document. */
  spans?: Span[];
}

/**
 * The document's units, from the previous run's where the text shows an edit inside one schema entry:
 * the texts differ only within that entry's value, which is still one JSON value, so every other
 * entry and the rest of the document parse as before — only the edited entry is serialized, hashed
 * and walked again (the other way, 775 entries on Stripe, is most of an incremental run's time after
 * parsing). Undefined when that cannot be shown: the caller cuts the document up whole.
 */
export function reusedUnits(
  previous: LoadedState,
  text: string,
  document: OpenApiDocument,
  edit = editedEntry(previous, text),
): UnitsWithSpans | undefined {
  const { schemas: stored, spec } = previous.state;
  if (!edit || !spec) return undefined;
  const { index: edited, delta } = edit;
  const end = spec.spans[edited][1];
  const entries = schemaEntries(document);
  const names = Object.keys(entries);
  if (names.length !== stored.length || stored.some((s, i) => s.name !== names[i])) return undefined;
  const schemas = stored.map(
    ({ name, hash, inert, refs, marks, flags, discriminated }, i): SchemaUnit =>
      i === edited
        ? schemaUnit(name, entries[name])
        : { name, text: previous.schemaText(stored[i]), hash, inert, refs, marks, flags, discriminated },
  );
  const spans = spec.spans.map(
    ([from, to], i): Span =>
      i === edited ? [from, to + delta] : from >= end ? [from + delta, to + delta] : [from, to],
  );
  return { units: { schemas, restHash: previous.state.restHash, rest: previous.state.rest }, spans };
}

export interface EditedEntry {
  /** Its index in the record's schemas. */
  index: number;
  /** Its value's span in the new text. */
  span: Span;
  /** How much longer the new text is. */
  delta: number;
}

/**
 * The one schema entry an edit from the recorded text to `text` lies in, when there is one and it is
 * still one JSON value (an edit inside an entry can also split it in two): outside it, the texts are
 * the same. Asked twice per run in a long-running process (patched-spec.ts, then reusedUnits).
 */
export function editedEntry(previous: LoadedState, text: string): EditedEntry | undefined {
  const before = previous.specText();
  const { schemas: stored, spec } = previous.state;
  if (before === undefined || !spec || spec.spans.length !== stored.length) return undefined;
  const [prefix, suffix] = commonEnds(before, text);
  const oldEnd = before.length - suffix;
  const index = spec.spans.findIndex(([start, end]) => start <= prefix && oldEnd <= end);
  const delta = text.length - before.length;
  const span: Span | undefined = index < 0 ? undefined : [spec.spans[index][0], spec.spans[index][1] + delta];
  return span && isOneValue(text, span[0], span[1]) ? { index, span, delta } : undefined;
}

/** Each schema entry's span in a JSON text, in the order of `units`; undefined when the text does not show them all. */
export function spansOf(text: string | undefined, units: DocumentUnits): Span[] | undefined {
  const found = text === undefined ? undefined : schemaSpans(text);
  if (!found || found.size !== units.schemas.length) return undefined;
  const spans: Span[] = [];
  for (const unit of units.schemas) {
    const span = found.get(unit.name);
    if (!span) return undefined;
    spans.push(span);
  }
  return spans;
}
