/**
 * Immutable edits of cached list responses. A list response is either the array of rows itself
 * (`itemsPath` = []) or an object holding it (e.g. `{ data: [...], count }` → `['data']`);
 * infinite queries hold one such response per page.
 */
export type ItemsPath = readonly string[];

export function mapListItems<T>(data: unknown, itemsPath: ItemsPath, fn: (items: T[]) => T[]): unknown {
  if (data === undefined || data === null) return data;
  if (itemsPath.length === 0) return Array.isArray(data) ? fn(data as T[]) : data;
  if (typeof data !== 'object' || Array.isArray(data)) return data;
  const [head, ...rest] = itemsPath;
  const record = data as Record<string, unknown>;
  if (!(head in record)) return data;
  const next = mapListItems(record[head], rest, fn);
  return next === record[head] ? data : { ...record, [head]: next };
}

interface PagesData {
  pages: unknown[];
  pageParams: unknown[];
}

function isPagesData(data: unknown): data is PagesData {
  return typeof data === 'object' && data !== null && Array.isArray((data as PagesData).pages);
}

/** Applies `fn` to the rows of every page; `isLast` lets an insert land on the last loaded page only. */
export function mapInfiniteItems<T>(
  data: unknown,
  itemsPath: ItemsPath,
  fn: (items: T[], isLast: boolean) => T[],
): unknown {
  if (!isPagesData(data)) return data;
  const last = data.pages.length - 1;
  return {
    ...data,
    pages: data.pages.map((page, i) => mapListItems<T>(page, itemsPath, (items) => fn(items, i === last))),
  };
}

/** Reads the rows of a list response (used by hooks to give components a plain array). */
export function rowsOf<T>(data: unknown, itemsPath: ItemsPath): T[] {
  let current: unknown = data;
  for (const segment of itemsPath) {
    if (typeof current !== 'object' || current === null) return [];
    current = (current as Record<string, unknown>)[segment];
  }
  return Array.isArray(current) ? (current as T[]) : [];
}

/** Ids from URLs are strings while rows may hold numbers: compare by their string form. */
export function sameId(a: unknown, b: unknown): boolean {
  return a === b || String(a) === String(b);
}
