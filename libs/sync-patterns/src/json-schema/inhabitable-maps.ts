import { isObject } from '../model/schema-utils';
import type { OpenApiDocument } from '../openapi/load-spec';

/**
 * openapi-typescript writes a schema `additionalProperties` as an index signature, which in
 * TypeScript covers every property — also the declared ones, and those of every schema it is
 * intersected with through `allOf`. `{ properties: { id: string }, additionalProperties: { type:
 * object } }` becomes `{ id: string } & { [key: string]: Record<string, unknown> }`, a type no
 * value has; and in JSON Schema an `allOf` part's additional schema applies to the properties the
 * other parts declare, so no real payload passes either (Azure specs are full of both: they follow
 * AutoRest, where the map holds only the properties nobody declared). Where a map schema sits
 * beside declared properties — in the same schema, or as an `allOf` part — its values are taken as
 * `unknown`: by the types and by the validators alike.
 */
export function mapsBesideProperties(document: OpenApiDocument): Map<Record<string, unknown>, string> {
  const inAllOf = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (!isObject(node)) return;
    if (Array.isArray(node['allOf']))
      for (const part of node['allOf'])
        if (isObject(part) && typeof part['$ref'] === 'string') inAllOf.add(part['$ref']);
    for (const value of Object.values(node)) collect(value);
  };
  collect(document);
  const found = new Map<Record<string, unknown>, string>();
  const visit = (node: unknown, at: string, partOfAllOf: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${at}/${i}`, false));
    if (!isObject(node)) return;
    const additional = node['additionalProperties'];
    const declares = isObject(node['properties']) && Object.keys(node['properties']).length > 0;
    if (isObject(additional) && Object.keys(additional).length > 0 && (declares || partOfAllOf || inAllOf.has(at)))
      found.set(node, at);
    for (const [key, value] of Object.entries(node)) {
      const path = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === 'allOf' && Array.isArray(value)) value.forEach((part, i) => visit(part, `${path}/${i}`, true));
      else visit(value, path, false);
    }
  };
  visit(document, '#', false);
  return found;
}

const memo = new WeakMap<OpenApiDocument, Map<Record<string, unknown>, string>>();

/** mapsBesideProperties (node → pointer), once per document: the validators ask it of every object schema. */
export function looseMapsOf(document: OpenApiDocument): ReadonlyMap<Record<string, unknown>, string> {
  let found = memo.get(document);
  if (!found) memo.set(document, (found = mapsBesideProperties(document)));
  return found;
}

/** The maps found in `document` so far, if anything asked (an incremental run records them). */
export function knownLooseMaps(document: OpenApiDocument): ReadonlyMap<Record<string, unknown>, string> | undefined {
  return memo.get(document);
}

/** Records what mapsBesideProperties would find, which an incremental run knows from the run before. */
export function declareLooseMaps(document: OpenApiDocument, found: Map<Record<string, unknown>, string>): void {
  memo.set(document, found);
}

/**
 * The maps beside properties inside one schema that no allOf reads (incremental/document-units.ts,
 * `inert` and not marked): there, only the node itself decides. `at` is the schema's pointer.
 */
export function localLooseMaps(schema: unknown, at: string, into: Map<Record<string, unknown>, string>): void {
  if (Array.isArray(schema)) return schema.forEach((item, i) => localLooseMaps(item, `${at}/${i}`, into));
  if (!isObject(schema)) return;
  const additional = schema['additionalProperties'];
  const declares = isObject(schema['properties']) && Object.keys(schema['properties']).length > 0;
  if (isObject(additional) && Object.keys(additional).length > 0 && declares) into.set(schema, at);
  for (const [key, value] of Object.entries(schema))
    localLooseMaps(value, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, into);
}

/** openapi-typescript's input with those maps' values as `unknown`; in place, on the caller's copy. */
export function withInhabitableMaps(document: OpenApiDocument): OpenApiDocument {
  for (const node of mapsBesideProperties(document).keys()) node['additionalProperties'] = true;
  return document;
}
