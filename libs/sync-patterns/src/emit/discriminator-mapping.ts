import { componentName, deref, isObject, objectShape } from '../model/schema-utils';
import type { OpenApiDocument } from '../spec/load-spec';

/**
 * Adds an explicit `discriminator.mapping` where a spec leaves it implicit but every branch states
 * its own value (`kind: { enum: [circle] }` or `const`). Without it, openapi-typescript falls back
 * to the schema names as values (`kind: "Circle"`), a type the payloads never match — the
 * discriminator bug peers' users keep reporting. Works on a copy; the input is not changed.
 */
export function withExplicitDiscriminators(document: OpenApiDocument): OpenApiDocument {
  const copy = structuredClone(document);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const discriminator = node['discriminator'];
    const branches = node['oneOf'] ?? node['anyOf'];
    if (isObject(discriminator) && isObject(discriminator['mapping'])) {
      const mapping = resolvableMapping(copy, discriminator['mapping']);
      if (mapping) discriminator['mapping'] = mapping;
      else delete discriminator['mapping'];
    }
    if (isObject(discriminator) && typeof discriminator['propertyName'] === 'string' && discriminator['mapping'] === undefined && Array.isArray(branches)) {
      const mapping = inferMapping(copy, discriminator['propertyName'], branches);
      if (mapping) discriminator['mapping'] = mapping;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(copy);
  return copy;
}

/**
 * Mapping values are schema names or references. Names become internal refs; references that lead
 * nowhere (files that were never published beside the spec, seen in real documents) are dropped,
 * so the union falls back to its branches instead of failing the whole document.
 */
function resolvableMapping(document: OpenApiDocument, mapping: Record<string, unknown>): Record<string, string> | undefined {
  const schemas = isObject(document['components']) ? (document['components'] as Record<string, unknown>)['schemas'] : undefined;
  const out: Record<string, string> = {};
  for (const [value, target] of Object.entries(mapping)) {
    if (typeof target !== 'string') continue;
    if (target.startsWith('#')) {
      if (deref(document, { $ref: target }, target)) out[value] = target;
    } else if (isObject(schemas) && target in schemas) {
      out[value] = `#/components/schemas/${target.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function inferMapping(document: OpenApiDocument, property: string, branches: unknown[]): Record<string, string> | undefined {
  const mapping: Record<string, string> = {};
  for (const branch of branches) {
    if (componentName(branch) === undefined) return undefined;
    const ref = (branch as { $ref: string }).$ref;
    const shape = objectShape(document, branch, ref);
    const prop = shape.properties.get(property);
    const target = prop && deref(document, prop.schema, prop.pointer)?.schema;
    if (!target) return undefined;
    const values = 'const' in target ? [target['const']] : Array.isArray(target['enum']) ? target['enum'] : [];
    if (values.length !== 1 || typeof values[0] !== 'string') return undefined;
    mapping[values[0]] = ref;
  }
  return mapping;
}
