import { componentName, deref, isObject, objectShape } from '../model/schema-utils';
import type { OpenApiDocument } from '../openapi/load-spec';

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
    if (
      isObject(discriminator) &&
      typeof discriminator['propertyName'] === 'string' &&
      discriminator['mapping'] === undefined &&
      Array.isArray(branches)
    ) {
      const mapping = inferMapping(copy, discriminator['propertyName'], branches);
      if (mapping) discriminator['mapping'] = mapping;
      // the names openapi-typescript would pin are values a branch's own enum refuses (linode's
      // tagged objects: Domain pinned `type: "Domain"`, its enum master | slave): a type no value
      // has, in every use of the branch. The union stays, without the discriminator.
      else if (pinsRefusedNames(copy, discriminator['propertyName'], branches)) delete node['discriminator'];
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(copy);
  withoutRefusedBaseTags(copy);
  return copy;
}

/**
 * A base schema's discriminator without mapping (subtypes name it in `allOf`): openapi-typescript
 * pins the base's and each subtype's schema name as the tag. Where the tag property's own enum
 * refuses those names (azure-kusto: `kind` is ReadWrite | ReadOnlyFollowing, the schemas Database,
 * ReadWriteDatabase), every such type has no value; the discriminator goes, the enum stays.
 */
function withoutRefusedBaseTags(document: OpenApiDocument): void {
  const schemas = isObject(document['components'])
    ? (document['components'] as Record<string, unknown>)['schemas']
    : undefined;
  if (!isObject(schemas)) return;
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !isObject(schema['discriminator']) || schema['discriminator']['mapping'] !== undefined)
      continue;
    if (schema['oneOf'] !== undefined || schema['anyOf'] !== undefined) continue;
    const property = schema['discriminator']['propertyName'];
    if (typeof property !== 'string') continue;
    const pointer = `#/components/schemas/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const prop = objectShape(document, schema, pointer).properties.get(property);
    const target = prop && deref(document, prop.schema, prop.pointer)?.schema;
    const values = target
      ? 'const' in target
        ? [target['const']]
        : Array.isArray(target['enum'])
          ? target['enum']
          : undefined
      : undefined;
    if (!values) continue;
    const subtypes = Object.entries(schemas)
      .filter(
        ([, other]) =>
          isObject(other) &&
          Array.isArray(other['allOf']) &&
          other['allOf'].some((part) => isObject(part) && part['$ref'] === pointer),
      )
      .map(([other]) => other);
    if ([name, ...subtypes].some((pinned) => !values.includes(pinned))) delete schema['discriminator'];
  }
}

/**
 * Mapping values are schema names or references. Names become internal refs; references that lead
 * nowhere (files that were never published beside the spec, seen in real documents) are dropped,
 * so the union falls back to its branches instead of failing the whole document.
 */
function resolvableMapping(
  document: OpenApiDocument,
  mapping: Record<string, unknown>,
): Record<string, string> | undefined {
  const schemas = isObject(document['components'])
    ? (document['components'] as Record<string, unknown>)['schemas']
    : undefined;
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

function inferMapping(
  document: OpenApiDocument,
  property: string,
  branches: unknown[],
): Record<string, string> | undefined {
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

/** Whether a branch's schema name, the value pinned without a mapping, is one its own enum or const refuses. */
function pinsRefusedNames(document: OpenApiDocument, property: string, branches: unknown[]): boolean {
  return branches.some((branch) => {
    const name = componentName(branch);
    if (name === undefined) return false;
    const ref = (branch as { $ref: string }).$ref;
    const prop = objectShape(document, branch, ref).properties.get(property);
    const target = prop && deref(document, prop.schema, prop.pointer)?.schema;
    if (!target) return false;
    const values = 'const' in target ? [target['const']] : Array.isArray(target['enum']) ? target['enum'] : undefined;
    return values !== undefined && !values.includes(name);
  });
}
