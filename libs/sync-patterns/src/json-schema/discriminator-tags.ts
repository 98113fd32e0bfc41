import { deref, isObject } from '../model/schema-utils';
import { child, parsePointer } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';
import { untracked } from '../openapi/read-tracking';
import { typesInputView } from './types-input';

/** Schema pointer → the discriminator property and value its generated type pins. */
export type DiscriminatorTags = Map<string, Record<string, string>>;

const memo = new WeakMap<OpenApiDocument, DiscriminatorTags>();
const hiddenMemo = new WeakMap<OpenApiDocument, (pointer: string) => ReadonlySet<string>>();
/** The discriminators openapi-typescript ends up knowing, by schema pointer (its `objects`). */
const knownDiscriminators = new WeakMap<OpenApiDocument, Map<string, Record<string, unknown>>>();

/** What the discriminator scans found, as data: an incremental run carries it over (see declareDiscriminators). */
export interface DiscriminatorRecord {
  tags: [string, Record<string, string>][];
  discriminators: [string, Record<string, unknown>][];
  /** hiddenDiscriminatorProperties' answers, for the pointers it was asked about. */
  hidden: [string, string[]][];
}

/** Answers hiddenDiscriminatorProperties gave, by document. */
const asked = new WeakMap<OpenApiDocument, Map<string, ReadonlySet<string>>>();

/** The scans' results for `document`, if they ran. */
export function discriminatorRecord(document: OpenApiDocument): DiscriminatorRecord | undefined {
  const tags = memo.get(document);
  const discriminators = knownDiscriminators.get(document);
  if (!tags || !discriminators) return undefined;
  return {
    tags: [...tags],
    discriminators: [...discriminators],
    hidden: [...(asked.get(document) ?? [])].map(([pointer, names]) => [pointer, [...names]]),
  };
}

/**
 * Records the scans' results for `document` from the run before. Exact where only schemas changed
 * that hold no discriminator or allOf and that none of those reach (incremental/document-units.ts):
 * tags are pinned, and properties hidden, only on schemas with discriminators and allOf, from what
 * those hold. A pointer the previous run did not ask about is answered from the document when its
 * schema has no allOf (nothing hidden), else by the scans themselves.
 */
export function declareDiscriminators(document: OpenApiDocument, record: DiscriminatorRecord): void {
  memo.set(document, new Map(record.tags));
  knownDiscriminators.set(document, new Map(record.discriminators));
  const known = new Map(record.hidden.map(([pointer, names]) => [pointer, new Set(names) as ReadonlySet<string>]));
  // the answers carried over are passed on to the next run too
  const seen = new Map(known);
  asked.set(document, seen);
  let scan: ((pointer: string) => ReadonlySet<string>) | undefined;
  hiddenMemo.set(document, (pointer) =>
    untracked(document, () => {
      let out = known.get(pointer);
      if (out === undefined) {
        const located = deref(document, { $ref: pointer }, pointer);
        out = located && !Array.isArray(located.schema['allOf']) ? NONE : (scan ??= hiddenScan(document))(pointer);
      }
      seen.set(pointer, out);
      return out;
    }),
  );
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Records that `document` has no discriminator anywhere, which its caller knows already (the
 * incremental run's facts): there is then nothing to pin or hide, and no need to prepare the whole
 * document as openapi-typescript sees it to find that out.
 */
export function declareNoDiscriminators(document: OpenApiDocument): void {
  const none: ReadonlySet<string> = new Set();
  memo.set(document, new Map());
  knownDiscriminators.set(document, new Map());
  hiddenMemo.set(document, () => none);
}

/**
 * The literal discriminator values openapi-typescript writes into object types, so that sample
 * values typecheck against them. It pins them in two passes over the document (its
 * `scanDiscriminators`), mirrored here: a `oneOf` with a discriminator replaces the property of
 * each referenced object branch by its mapping keys (else the branch's name); then `allOf`
 * inheritance from a schema with a discriminator pins the child's mapping keys, or — when no
 * mapping names the child — adds the child's name as the value. First pin wins.
 */
export function discriminatorTags(document: OpenApiDocument): DiscriminatorTags {
  const known = memo.get(document);
  return known ?? untracked(document, () => scanTags(document));
}

function scanTags(document: OpenApiDocument): DiscriminatorTags {
  const doc = typesInputView(document);
  const discriminators = new Map<string, Record<string, unknown>>();
  const handled = new Set<string>();
  const tags: DiscriminatorTags = new Map();

  const pin = (ref: string, values: string[], discriminator: Record<string, unknown>): boolean => {
    const target = deref(doc, { $ref: ref }, ref)?.schema;
    if (!target || !(Array.isArray(target['allOf']) || target['type'] === 'object')) return false;
    tags.set(ref, {
      ...tags.get(ref),
      [discriminator['propertyName'] as string]: values[0],
    });
    return true;
  };

  walk(doc, '#', (node, at) => {
    const discriminator = node['discriminator'];
    if (!isObject(discriminator) || typeof discriminator['propertyName'] !== 'string') return;
    discriminators.set(at, discriminator);
    if (!Array.isArray(node['oneOf'])) return;
    const values = new Map<string, { inferred?: string; defined?: string[] }>();
    for (const item of node['oneOf']) {
      if (!isObject(item) || typeof item['$ref'] !== 'string') continue;
      const inferred = item['$ref'].split('/').pop();
      if (inferred) values.set(item['$ref'], { ...values.get(item['$ref']), inferred });
    }
    const mapping = isObject(discriminator['mapping']) ? discriminator['mapping'] : {};
    for (const [value, ref] of Object.entries(mapping)) {
      if (typeof ref !== 'string' || !ref) continue;
      const entry = values.get(ref);
      values.set(ref, {
        ...entry,
        defined: [...(entry?.defined ?? []), value],
      });
    }
    for (const [ref, { inferred, defined }] of values) {
      if (handled.has(ref)) continue;
      const pinned = defined ?? (inferred ? [inferred] : []);
      if (pinned.length && pin(ref, pinned, discriminator)) handled.add(ref);
    }
  });

  const inheritors: string[] = [];
  walk(doc, '#', (node, at) => {
    if (!Array.isArray(node['allOf'])) return;
    for (const item of node['allOf']) {
      if (!isObject(item)) continue;
      if (typeof item['$ref'] === 'string') {
        const parent = discriminators.get(item['$ref']);
        if (!parent) return; // openapi-typescript stops at the first part that is no discriminated parent
        const mapping = isObject(parent['mapping']) ? parent['mapping'] : {};
        const mapped = Object.keys(mapping).filter((value) => mapping[value] === at);
        if (mapped.length && pin(at, mapped, parent)) handled.add(at);
        discriminators.set(at, parent);
        inheritors.push(at);
      } else if (isObject(item['discriminator']) && typeof item['discriminator']['propertyName'] === 'string') {
        discriminators.set(at, item['discriminator']);
        inheritors.push(at);
      }
    }
  });

  // An inheritor no mapping pinned gets its own name (or the mapping key naming it) as the value.
  for (const at of inheritors) {
    const node = deref(doc, { $ref: at }, at)?.schema;
    if (!node || node['discriminator'] !== undefined || handled.has(at) || tags.has(at)) continue;
    const discriminator = discriminators.get(at)!;
    const name = parsePointer(at)?.pop() ?? '';
    const mapping = isObject(discriminator['mapping']) ? discriminator['mapping'] : {};
    const key = Object.keys(mapping).find((value) => {
      const ref = mapping[value];
      return typeof ref === 'string' && (ref.startsWith('#') ? parsePointer(ref)?.pop() === name : ref === name);
    });
    tags.set(at, { [discriminator['propertyName'] as string]: key ?? name });
  }

  memo.set(document, tags);
  knownDiscriminators.set(document, discriminators);
  return tags;
}

/**
 * The discriminator properties a schema's generated type lacks although its JSON Schema has them:
 * openapi-typescript writes `Omit<Parent, "kind">` for every part inherited from a discriminated
 * schema and adds `kind` back only where it pins a value — a schema its scan did not reach in time
 * (it goes in key order) has none, and so none of its descendants do. Samples leave those out.
 */
export function hiddenDiscriminatorProperties(document: OpenApiDocument): (pointer: string) => ReadonlySet<string> {
  const known = hiddenMemo.get(document);
  if (known) return known;
  const scan = untracked(document, () => hiddenScan(document));
  const seen = new Map<string, ReadonlySet<string>>();
  asked.set(document, seen);
  const hidden = (pointer: string) =>
    untracked(document, () => {
      const out = scan(pointer);
      seen.set(pointer, out);
      return out;
    });
  hiddenMemo.set(document, hidden);
  return hidden;
}

function hiddenScan(document: OpenApiDocument): (pointer: string) => ReadonlySet<string> {
  const tags = discriminatorTags(document);
  const discriminators = knownDiscriminators.get(document)!;
  const doc = typesInputView(document);
  const names = new Set([...discriminators.values()].map((d) => d['propertyName'] as string));
  const visible = new Map<string, boolean>();
  const isVisible = (at: string, node: Record<string, unknown>, prop: string, depth: number): boolean => {
    const memoKey = `${prop}\u0000${at}`;
    const cached = visible.get(memoKey);
    if (cached !== undefined) return cached;
    visible.set(memoKey, false); // a cycle through allOf adds nothing
    let result =
      tags.get(at)?.[prop] !== undefined ||
      (isObject(node['properties']) && Object.prototype.hasOwnProperty.call(node['properties'], prop));
    const parts = Array.isArray(node['allOf']) ? node['allOf'] : [];
    parts.forEach((part, i) => {
      if (result || !isObject(part) || depth > 32) return;
      if (typeof part['$ref'] === 'string') {
        if (discriminators.get(part['$ref'])?.['propertyName'] === prop) return; // Omit<Parent, prop>
        const target = deref(doc, part, at);
        if (target) result = isVisible(target.pointer, target.schema, prop, depth + 1);
      } else {
        if (isObject(part['discriminator']) && part['discriminator']['propertyName'] === prop) return;
        result = isVisible(child(at, 'allOf', i), part, prop, depth + 1);
      }
    });
    visible.set(memoKey, result);
    return result;
  };
  const none: ReadonlySet<string> = new Set();
  const byPointer = new Map<string, ReadonlySet<string>>();
  const hidden = (pointer: string): ReadonlySet<string> => {
    if (!names.size) return none;
    let out = byPointer.get(pointer);
    if (out) return out;
    const node = deref(doc, { $ref: pointer }, pointer)?.schema;
    // only schemas composed with allOf lose properties this way
    out =
      node && Array.isArray(node['allOf'])
        ? new Set([...names].filter((prop) => !isVisible(pointer, node, prop, 0)))
        : none;
    byPointer.set(pointer, out);
    return out;
  };
  return hidden;
}

/** Depth-first, in key order, as openapi-typescript walks: the order decides which pin wins. */
function walk(node: unknown, at: string, visit: (node: Record<string, unknown>, at: string) => void): void {
  if (Array.isArray(node)) return node.forEach((item, i) => walk(item, child(at, i), visit));
  if (!isObject(node)) return;
  visit(node, at);
  for (const [key, value] of Object.entries(node)) walk(value, child(at, key), visit);
}
