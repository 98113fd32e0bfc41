import { isObject } from '../model/schema-utils';
import type { OpenApiDocument } from '../spec/load-spec';

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
export function mapsBesideProperties(document: OpenApiDocument): Set<Record<string, unknown>> {
  const inAllOf = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (!isObject(node)) return;
    if (Array.isArray(node['allOf'])) for (const part of node['allOf']) if (isObject(part) && typeof part['$ref'] === 'string') inAllOf.add(part['$ref']);
    for (const value of Object.values(node)) collect(value);
  };
  collect(document);
  const found = new Set<Record<string, unknown>>();
  const visit = (node: unknown, at: string, partOfAllOf: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${at}/${i}`, false));
    if (!isObject(node)) return;
    const additional = node['additionalProperties'];
    const declares = isObject(node['properties']) && Object.keys(node['properties']).length > 0;
    if (isObject(additional) && Object.keys(additional).length > 0 && (declares || partOfAllOf || inAllOf.has(at))) found.add(node);
    for (const [key, value] of Object.entries(node)) {
      const path = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (key === 'allOf' && Array.isArray(value)) value.forEach((part, i) => visit(part, `${path}/${i}`, true));
      else visit(value, path, false);
    }
  };
  visit(document, '#', false);
  return found;
}

const memo = new WeakMap<OpenApiDocument, Set<Record<string, unknown>>>();

/** mapsBesideProperties, once per document (the validators ask it of every object schema). */
export function looseMapsOf(document: OpenApiDocument): Set<Record<string, unknown>> {
  let found = memo.get(document);
  if (!found) memo.set(document, (found = mapsBesideProperties(document)));
  return found;
}

/** openapi-typescript's input with those maps' values as `unknown`; in place, on the caller's copy. */
export function withInhabitableMaps(document: OpenApiDocument): OpenApiDocument {
  for (const node of mapsBesideProperties(document)) node['additionalProperties'] = true;
  return document;
}
