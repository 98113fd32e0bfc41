import { createHash } from 'node:crypto';
import type { OpenApiDocument } from '../openapi/load-spec';
import { isObject } from '../model/schema-utils';

const SCHEMA_PREFIX = '#/components/schemas/';

/**
 * What an incremental run needs to know of one `components.schemas` entry, from its text alone.
 *
 * `inert` means the entry changes nothing but its own outputs when it changes: no `allOf` (others'
 * types and validators read through it), no discriminator (tags land in other schemas' types and
 * fakes), no `$ref` but to a whole component schema (deep refs are hoisted into components of their
 * own), and it is no alias (`{ $ref }` at its top, which referrers see through). `marks` are the
 * schemas whose outputs this entry does reach into: `allOf` parts, discriminator branches and mapping
 * targets, containers of deep refs.
 */
export interface SchemaFacts {
  inert: boolean;
  /** Every component schema it names in a `$ref`, sorted. */
  refs: string[];
  /** Schemas whose outputs depend on this entry's content (see above), sorted. */
  marks: string[];
  /** The flags referrers read through a `$ref` (fake rows skip writeOnly fields). */
  flags: string;
  /** Holds a discriminator somewhere. */
  discriminated: boolean;
}

export interface SchemaUnit extends SchemaFacts {
  name: string;
  /** JSON text of the entry: the unit of change. */
  text: string;
  hash: string;
}

export interface DocumentUnits {
  schemas: SchemaUnit[];
  /** Everything but the schema entries (their names and order included). */
  restHash: string;
  /** What the rest of the document refers to and reaches into. */
  rest: Pick<SchemaFacts, 'refs' | 'marks' | 'discriminated'>;
}

/**
 * The document cut into its schema entries and the rest, each hashed, with the facts of each.
 * `known` gives the facts of entries seen before, by hash: only the others are walked.
 */
export function documentUnits(
  document: OpenApiDocument,
  known?: (hash: string) => SchemaFacts | undefined,
): DocumentUnits {
  const components = isObject(document['components']) ? (document['components'] as Record<string, unknown>) : undefined;
  const entries = schemaEntries(document);
  const schemas = Object.entries(entries).map(([name, schema]) => schemaUnit(name, schema, known));
  const rest = { ...document, components: { ...components, schemas: Object.keys(entries) } };
  const restHash = hashText(JSON.stringify(rest));
  const { refs, marks, discriminated } = known?.(restHash) ?? schemaFacts(rest);
  return { schemas, restHash, rest: { refs, marks, discriminated } };
}

/** The document's `components.schemas`, or an empty record. */
/**
 * Where two cuts of a document differ: the indexes of the entries whose text changed, or why they
 * cannot be compared entry by entry (entries added, removed, renamed or moved).
 */
export function changedEntries(
  before: readonly { name: string; hash: string }[],
  after: readonly { name: string; hash: string }[],
): { changed: number[] } | { mismatch: string } {
  if (before.length !== after.length) return { mismatch: 'schemas were added or removed' };
  const changed: number[] = [];
  for (let i = 0; i < after.length; i++) {
    if (before[i].name !== after[i].name) return { mismatch: 'schemas were renamed or reordered' };
    if (before[i].hash !== after[i].hash) changed.push(i);
  }
  return { changed };
}

export function schemaEntries(document: OpenApiDocument): Record<string, unknown> {
  const components = document['components'];
  return isObject(components) && isObject(components['schemas'])
    ? (components['schemas'] as Record<string, unknown>)
    : {};
}

export function schemaUnit(
  name: string,
  schema: unknown,
  known?: (hash: string) => SchemaFacts | undefined,
): SchemaUnit {
  const text = JSON.stringify(schema) ?? 'null';
  const hash = hashText(text);
  return { name, text, hash, ...(known?.(hash) ?? schemaFacts(schema)) };
}

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

export function schemaFacts(schema: unknown): SchemaFacts {
  const refs = new Set<string>();
  const marks = new Set<string>();
  let inert = isObject(schema) && schema['$ref'] === undefined;
  let discriminated = false;
  const nameOf = (ref: string): { name: string; deep: boolean } | undefined => {
    if (!ref.startsWith(SCHEMA_PREFIX)) return undefined;
    const [first, ...more] = ref.slice(SCHEMA_PREFIX.length).split('/');
    return { name: decodeURIComponent(first).replace(/~1/g, '/').replace(/~0/g, '~'), deep: more.length > 0 };
  };
  const markRef = (value: unknown) => {
    const ref =
      isObject(value) && typeof value['$ref'] === 'string'
        ? value['$ref']
        : typeof value === 'string'
          ? value
          : undefined;
    if (ref === undefined) return;
    const target = nameOf(ref);
    // a mapping value may also be a bare schema name
    marks.add(target ? target.name : ref);
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string') {
      const target = nameOf(ref);
      if (!target || target.deep) inert = false;
      if (target) {
        refs.add(target.name);
        if (target.deep) marks.add(target.name);
      }
    }
    if (node['allOf'] !== undefined) {
      inert = false;
      if (Array.isArray(node['allOf'])) node['allOf'].forEach(markRef);
    }
    const discriminator = node['discriminator'];
    if (discriminator !== undefined) {
      inert = false;
      discriminated = true;
      if (isObject(discriminator) && isObject(discriminator['mapping']))
        Object.values(discriminator['mapping']).forEach(markRef);
      for (const key of ['oneOf', 'anyOf'] as const)
        if (Array.isArray(node[key])) (node[key] as unknown[]).forEach(markRef);
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(schema);
  const flags = isObject(schema) ? `${schema['readOnly'] === true}${schema['writeOnly'] === true}` : '';
  return { inert, refs: [...refs].sort(), marks: [...marks].sort(), flags, discriminated };
}
