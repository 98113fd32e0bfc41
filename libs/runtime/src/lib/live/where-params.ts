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
