import { child, resolvePointer } from '../openapi/json-pointer';
import { keptWithReads } from '../openapi/read-tracking';
import type { OpenApiDocument } from '../openapi/load-spec';
import type { JsonSchema } from './ir';

const SCHEMA_PREFIX = '#/components/schemas/';

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The component name a `$ref` points at, for refs of the form `#/components/schemas/<name>`. */
export function componentName(schema: unknown): string | undefined {
  if (!isObject(schema) || typeof schema['$ref'] !== 'string') return undefined;
  const ref = schema['$ref'];
  if (!ref.startsWith(SCHEMA_PREFIX)) return undefined;
  const rest = ref.slice(SCHEMA_PREFIX.length);
  if (rest.includes('/')) return undefined;
  return decodeURIComponent(rest).replace(/~1/g, '/').replace(/~0/g, '~');
}

export function componentPointer(name: string): string {
  return child('#/components/schemas', name);
}

export interface Located {
  schema: JsonSchema;
  pointer: string;
}

/** Follows a chain of `$ref`s (any internal ref, not only components) to the schema it names. */
export function deref(document: OpenApiDocument, schema: unknown, pointer: string): Located | undefined {
  let current = schema;
  let at = pointer;
  for (let hops = 0; hops < 32; hops++) {
    if (!isObject(current)) return undefined;
    const ref = current['$ref'];
    if (typeof ref !== 'string') return { schema: current, pointer: at };
    at = ref;
    current = resolvePointer(document, ref);
  }
  return undefined;
}

/** 3.0 `nullable: true`, 3.1 `type: [.., 'null']`, or a `null` branch of oneOf/anyOf. */
export function isNullable(schema: JsonSchema): boolean {
  if (schema['nullable'] === true) return true;
  const type = schema['type'];
  if (Array.isArray(type) && type.includes('null')) return true;
  for (const key of ['oneOf', 'anyOf']) {
    const branches = schema[key];
    if (Array.isArray(branches) && branches.some((b) => isObject(b) && b['type'] === 'null')) return true;
  }
  return false;
}

export interface ObjectShape {
  properties: Map<string, Located>;
  required: Set<string>;
}

/**
 * The properties of an object schema, with those it inherits through `allOf` merged in (following
 * refs). Cycles through `allOf` are cut rather than followed forever.
 */
export function objectShape(
  document: OpenApiDocument,
  schema: unknown,
  pointer: string,
  seen = new Set<string>(),
): ObjectShape {
  const shape: ObjectShape = { properties: new Map(), required: new Set() };
  const located = deref(document, schema, pointer);
  if (!located || seen.has(located.pointer)) return shape;
  seen.add(located.pointer);
  const { schema: s, pointer: at } = located;
  const allOf = s['allOf'];
  if (Array.isArray(allOf)) {
    allOf.forEach((part, i) => {
      const inner = objectShape(document, part, child(at, 'allOf', i), seen);
      inner.properties.forEach((v, k) => shape.properties.set(k, v));
      inner.required.forEach((r) => shape.required.add(r));
    });
  }
  const properties = s['properties'];
  if (isObject(properties)) {
    for (const name of Object.keys(properties)) {
      const prop = properties[name];
      if (isObject(prop)) shape.properties.set(name, { schema: prop, pointer: child(at, 'properties', name) });
    }
  }
  if (Array.isArray(s['required'])) for (const r of s['required']) if (typeof r === 'string') shape.required.add(r);
  return shape;
}

/** A property's own flags, looking through a `$ref` (3.1 allows siblings next to `$ref`, 3.0 does not). */
export function propertyFlag(document: OpenApiDocument, prop: Located, flag: 'readOnly' | 'writeOnly'): boolean {
  if (prop.schema[flag] === true) return true;
  const target = deref(document, prop.schema, prop.pointer);
  return target?.schema[flag] === true;
}

/** The schema names a schema refers to, directly or through nested schemas (not through other components). */
export function directRefs(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) directRefs(item, into);
  } else if (isObject(schema)) {
    const name = componentName(schema);
    if (name !== undefined) into.add(name);
    for (const [key, value] of Object.entries(schema)) {
      if (key === 'example' || key === 'examples' || key === 'default' || key === 'enum' || key === 'const') continue;
      directRefs(value, into);
    }
  }
  return into;
}

/** Whether a response/body schema is one row of the model `name` (its ref, or an allOf of just it). */
export function isRowOf(schema: unknown, name: string): boolean {
  if (componentName(schema) === name) return true;
  if (isObject(schema) && Array.isArray(schema['allOf']) && schema['allOf'].length === 1) {
    return componentName(schema['allOf'][0]) === name;
  }
  return false;
}

/**
 * A memo per document and schema object. A schema's answer depends on the schemas it refers to, and
 * a long-running process (`--watch`) builds each new document from the last one's unchanged objects
 * (incremental/patched-spec.ts): keyed by the schema alone, an answer would outlive a change to a
 * schema it refers to.
 */
function perDocument<T>(): (document: OpenApiDocument, schema: JsonSchema, compute: () => T) => T {
  const memos = new WeakMap<OpenApiDocument, WeakMap<JsonSchema, { value: T; reads: Set<string> }>>();
  return (document, schema, compute) => {
    let memo = memos.get(document);
    if (!memo) memos.set(document, (memo = new WeakMap()));
    return keptWithReads(document, memo, schema, compute);
  };
}

const wrapperShapes = perDocument<ObjectShape>();

/**
 * objectShape of a response schema, kept: binding asks it of every list-like response once per
 * model, which on a large spec (Stripe: 100+ models × 400+ operations) was most of the run.
 */
function wrapperShape(document: OpenApiDocument, schema: JsonSchema, pointer: string): ObjectShape {
  return wrapperShapes(document, schema, () => objectShape(document, schema, pointer));
}

/**
 * Where rows of `name` sit in a list response: `[]` if the response is an array of them, or the
 * path to the one array-of-rows property of a wrapper object (`{ data: Todo[], count }` → ['data']).
 */
export function itemsPathOf(
  document: OpenApiDocument,
  schema: unknown,
  pointer: string,
  name: string,
): string[] | undefined {
  const located = deref(document, schema, pointer);
  if (!located) return undefined;
  return rowPathsOf(document, located).get(name) ?? undefined;
}

/** The models whose rows a list response holds (at the top or in one wrapper property). */
export function listedModels(document: OpenApiDocument, schema: unknown, pointer: string): string[] {
  const located = deref(document, schema, pointer);
  if (!located) return [];
  return [...rowPathsOf(document, located).entries()].filter(([, path]) => path !== null).map(([name]) => name);
}

/** Per response schema, where the rows of each model it lists sit (null: in more than one property). */
const rowPaths = perDocument<Map<string, string[] | null>>();

function rowPathsOf(
  document: OpenApiDocument,
  located: { schema: JsonSchema; pointer: string },
): Map<string, string[] | null> {
  return rowPaths(document, located.schema, () => computeRowPaths(document, located.schema, located.pointer));
}

/** Binding asks every list-like response about every model: the answer is worked out once per response. */
function computeRowPaths(document: OpenApiDocument, s: JsonSchema, pointer: string): Map<string, string[] | null> {
  const paths = new Map<string, string[] | null>();
  if (isArraySchema(s)) {
    const row = rowNameOf(s['items']);
    if (row !== undefined) paths.set(row, []);
    return paths;
  }
  for (const [prop, loc] of wrapperShape(document, s, pointer).properties) {
    const inner = deref(document, loc.schema, loc.pointer);
    if (!inner || !isArraySchema(inner.schema)) continue;
    const row = rowNameOf(inner.schema['items']);
    if (row !== undefined) paths.set(row, paths.has(row) ? null : [prop]);
  }
  return paths;
}

const isArraySchema = (s: JsonSchema) =>
  s['type'] === 'array' || (Array.isArray(s['type']) && s['type'].includes('array'));

/** The component a schema is a row of (see isRowOf). */
function rowNameOf(schema: unknown): string | undefined {
  const name = componentName(schema);
  if (name !== undefined) return name;
  if (isObject(schema) && Array.isArray(schema['allOf']) && schema['allOf'].length === 1)
    return componentName(schema['allOf'][0]);
  return undefined;
}
