import { and, eq, inArray, isNull } from '@tanstack/react-db';

type Expression = ReturnType<typeof eq>;
/** The part of TanStack DB's query builder this needs: a `where` over one source aliased `row`. */
interface FilterableQuery<Q> {
  where(callback: (refs: { row: Record<string, unknown> }) => Expression): Q;
}

/**
 * A live list's parameters as the live query's `where`: each parameter named like a column keeps
 * the rows whose value equals it (or is one of an array's); other parameters (paging, sorting) do
 * not filter. In the query, not after it, so TanStack DB maintains the result incrementally: a
 * change costs the rows it touches, not a pass over the whole collection.
 */
export function whereParams<Q extends FilterableQuery<Q>>(
  query: Q,
  params: object | undefined,
  columns: readonly string[],
): Q {
  const filters = Object.entries(params ?? {}).filter(([name, value]) => value !== undefined && columns.includes(name));
  if (!filters.length) return query;
  return query.where(({ row }) => {
    const parts = filters.map(([name, wanted]): Expression => {
      if (Array.isArray(wanted)) return inArray(row[name] as never, wanted);
      // SQL's `= NULL` is never true; a null parameter asks for the rows that hold null
      return wanted === null ? isNull(row[name] as never) : eq(row[name] as never, wanted as never);
    });
    return parts.length === 1 ? parts[0] : and(parts[0], parts[1], ...parts.slice(2));
  });
}

/** The list operation's paging parameters, by the names the spec gives them. */
export interface LivePaging {
  /** How many rows a page holds (`limit`, `per_page`…). */
  limit: string;
  /** How many rows to skip (`offset`, `skip`…). */
  offset?: string;
}

interface PageableQuery<Q> {
  orderBy(callback: (refs: { row: Record<string, unknown> }) => unknown, direction?: 'asc' | 'desc'): Q;
  limit(count: number): Q;
  offset(count: number): Q;
}

/**
 * A live list's paging parameters as the live query's order, limit and offset (rows in key order),
 * so a page is the same size in live mode as the API's page in push mode; on demand, TanStack DB
 * passes them on, and the server sends that page only. Without a limit among the parameters, every
 * row is the list.
 */
export function pagedParams<Q extends PageableQuery<Q>>(
  query: Q,
  params: object | undefined,
  paging: LivePaging,
  key: string,
): Q {
  const values = (params ?? {}) as Record<string, unknown>;
  const limit = wholeNumber(values[paging.limit]);
  if (limit === undefined) return query;
  const ordered = query.orderBy(({ row }) => row[key], 'asc');
  const offset = paging.offset === undefined ? undefined : wholeNumber(values[paging.offset]);
  return (offset ? ordered.offset(offset) : ordered).limit(limit);
}

/** A count from a parameter (a number, or its text as a query string gives it). */
function wholeNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}
