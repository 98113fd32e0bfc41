/**
 * The rows a list's parameters select, where the rows are all on the client (live mode): each
 * parameter named like a column keeps the rows whose value equals it (or is one of an array's);
 * other parameters (paging, sorting) do not filter.
 */
export function rowsMatching<T extends object>(
  rows: readonly T[],
  params: object | undefined,
  columns: readonly string[],
): T[] {
  const filters = Object.entries(params ?? {}).filter(([name, value]) => value !== undefined && columns.includes(name));
  if (!filters.length) return [...rows];
  return rows.filter((row) =>
    filters.every(([name, wanted]) => {
      const value = (row as Record<string, unknown>)[name];
      return Array.isArray(wanted) ? wanted.includes(value) : value === wanted;
    }),
  );
}
