import { createHash } from 'node:crypto';
import { isObject } from '../model/schema-utils';
import { resolvePointer } from '../openapi/json-pointer';
import type { OpenApiDocument } from '../openapi/load-spec';

/**
 * `$ref`s that point anywhere but at a whole component — into an operation's response schema
 * (`#/paths/~1monsters/get/…/allOf/3/…`) or inside a component (`#/components/schemas/Monster/allOf/3`)
 * — are printed by openapi-typescript as indexed-access types through `"schema"` and `"allOf"` that
 * do not exist (dnd5eapi.co). Each such target becomes a component of its own, named after its
 * pointer, and the refs point there. (Copying the target in place instead grows exponentially when
 * targets refer to each other: 526 MB of types for azure network-applicationGateway.) Works on the
 * caller's copy; the hoisted components exist only in openapi-typescript's input.
 */
const WHOLE_COMPONENT = /^#\/components\/[^/]+\/[^/]+$/;

export function hoistDeepRefs(document: OpenApiDocument): OpenApiDocument {
  const targets = new Map<string, string>();
  // refs to values that are no schema (an example's string, shutterstock.com) are replaced by the value
  const values = new Map<string, unknown>();
  const find = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(find);
    if (!isObject(node)) return;
    const ref = node['$ref'];
    if (
      typeof ref === 'string' &&
      ref.startsWith('#/') &&
      !WHOLE_COMPONENT.test(ref) &&
      !targets.has(ref) &&
      !values.has(ref)
    ) {
      const target = resolvePointer(document, ref);
      if (isObject(target)) targets.set(ref, '');
      else if (target !== undefined) values.set(ref, target);
    }
    for (const value of Object.values(node)) find(value);
  };
  find(document);
  if (!targets.size && !values.size) return document;

  const components = (
    isObject(document['components']) ? document['components'] : (document['components'] = {})
  ) as Record<string, unknown>;
  const schemas = (isObject(components['schemas']) ? components['schemas'] : (components['schemas'] = {})) as Record<
    string,
    unknown
  >;
  const hoisted: [string, unknown][] = [];
  for (const ref of [...targets.keys()].sort()) {
    const readable = ref
      .slice(2)
      .replace(/~1/g, '/')
      .replace(/~0/g, '~')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .slice(-60);
    let name = `${readable}_${createHash('sha256').update(ref).digest('hex').slice(0, 8)}`;
    while (name in schemas) name += '_';
    targets.set(ref, `#/components/schemas/${name}`);
    hoisted.push([name, structuredClone(resolvePointer(document, ref))]);
  }
  for (const [name, schema] of hoisted) schemas[name] = schema;

  const point = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) =>
        isValueRef(item) ? (node[i] = structuredClone(values.get(item['$ref'] as string))) : point(item),
      );
      return;
    }
    if (!isObject(node)) return;
    const ref = node['$ref'];
    if (typeof ref === 'string' && targets.has(ref)) node['$ref'] = targets.get(ref);
    for (const [key, value] of Object.entries(node)) {
      if (isValueRef(value)) node[key] = structuredClone(values.get(value['$ref'] as string));
      else point(value);
    }
  };
  const isValueRef = (value: unknown): value is Record<string, unknown> =>
    isObject(value) && typeof value['$ref'] === 'string' && values.has(value['$ref']);
  point(document);
  return document;
}
