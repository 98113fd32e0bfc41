import { isObject } from '../model/schema-utils';
import type { OpenApiDocument } from '../openapi/load-spec';

/**
 * `{ type: "null", oneOf: [string, number, …] }` (vercel.com) means "null or one of these", but
 * openapi-typescript intersects the two — `null & (string | …)`, which is `never`, and a compile
 * error once a branch refers back to the schema. The type moves into the union as a null branch.
 * Works in place on the caller's copy.
 */
export function withNullableUnions(document: OpenApiDocument): OpenApiDocument {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    for (const key of ['oneOf', 'anyOf'] as const) {
      const branches = node[key];
      if (node['type'] === 'null' && Array.isArray(branches)) {
        delete node['type'];
        node[key] = [...branches, { type: 'null' }];
        break;
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(document);
  return document;
}
