import type { OpenApiDocument } from '../openapi/load-spec';
import type { OperationParam, Pagination } from './ir';
import { deref, objectShape, type Located } from './schema-utils';

const PAGE = /^(page|page_?number|pagenumber)$/i;
const OFFSET = /^(offset|skip|start)$/i;
const LIMIT = /^(limit|page_?size|per_?page|size|count|max_?results|top)$/i;
const CURSOR = /^(cursor|after|starting_after|page_?token|next_?token|continuation(_?token)?|next|since_id)$/i;
const NEXT_FIELDS = /^(next_?cursor|next_?page_?token|next_?token|cursor|next)$/i;

/**
 * Detects how a list operation pages, from its query parameters and response shape. Only what can
 * be followed safely is reported: a cursor API whose response names no next cursor (and has no
 * `has_more` flag to page by the last row's key) is left as a plain list.
 */
export function detectPagination(
  document: OpenApiDocument,
  queryParams: OperationParam[],
  response: Located | undefined,
  itemsPath: string[],
  key: string,
): Pagination | undefined {
  const find = (pattern: RegExp) => queryParams.find((p) => pattern.test(p.name));
  const page = find(PAGE);
  if (page) return { kind: 'page', param: page.name };
  const offset = find(OFFSET);
  if (offset) {
    const limit = find(LIMIT);
    return { kind: 'offset', param: offset.name, ...(limit ? { limitParam: limit.name } : {}) };
  }
  const cursor = find(CURSOR);
  if (!cursor || !response || itemsPath.length === 0) return undefined;
  const located = deref(document, response.schema, response.pointer);
  if (!located) return undefined;
  const shape = objectShape(document, located.schema, located.pointer);
  const next = [...shape.properties.keys()].find((name) => NEXT_FIELDS.test(name) && name !== itemsPath[0]);
  if (next) return { kind: 'cursor', param: cursor.name, nextField: [next] };
  const moreField = ['has_more', 'hasMore'].find((name) => shape.properties.has(name));
  if (moreField) return { kind: 'cursor', param: cursor.name, fromLastRow: { key, moreField } };
  return undefined;
}
