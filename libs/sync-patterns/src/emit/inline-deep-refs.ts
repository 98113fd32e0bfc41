import { isObject } from '../model/schema-utils';
import { resolvePointer } from '../spec/json-pointer';
import type { OpenApiDocument } from '../spec/load-spec';

/**
 * Replaces `$ref`s that point anywhere but at a whole component (into another operation's response
 * schema, `#/paths/~1monsters/get/…/allOf/3/…`, or inside one, `#/components/schemas/Monster/allOf/3/…`)
 * with a copy of their target. openapi-typescript
 * prints such refs as indexed-access types through `"schema"` and `"allOf"` that do not exist
 * (dnd5eapi.co). Works in place on a copy the caller owns; a cycle through such refs becomes `{}`.
 */
const WHOLE_COMPONENT = /^#\/components\/[^/]+\/[^/]+$/;

export function inlineDeepRefs(document: OpenApiDocument): OpenApiDocument {
  const inline = (node: unknown, active: Set<string>): unknown => {
    if (Array.isArray(node)) return node.map((item) => inline(item, active));
    if (!isObject(node)) return node;
    const ref = node['$ref'];
    if (typeof ref === 'string' && ref.startsWith('#/') && !WHOLE_COMPONENT.test(ref)) {
      if (active.has(ref)) return {};
      const target = resolvePointer(document, ref);
      if (target === undefined) return node;
      const { $ref: _ref, ...siblings } = node;
      const resolved = inline(target, new Set(active).add(ref));
      return isObject(resolved) ? { ...resolved, ...siblings } : resolved;
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = inline(value, active);
    return out;
  };
  return inline(document, new Set()) as OpenApiDocument;
}
