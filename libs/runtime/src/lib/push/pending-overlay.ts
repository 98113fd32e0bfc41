import type { QueryClient } from '@tanstack/react-query';
import type { OutboxEntry } from '../sqlite/outbox';
import { mapInfiniteItems, mapListItems, sameId, type ItemsPath } from './list-data';

/** Where a push model's rows sit in the cache, and how a row names its key. */
export interface CachedRows {
  keys: { all: readonly unknown[]; details: () => readonly unknown[]; infinites: () => readonly unknown[] };
  itemsPath: ItemsPath;
  rowId: (row: never) => unknown;
  /** The key field of a row (a create's row shows under its draft key until the API answers). */
  keyField?: string;
}

type Row = Record<string, unknown>;

/**
 * Keeps a push model's waiting writes over fresh reads: a list or item the API answers while
 * writes of the model wait (in flight, or in the outbox while offline) holds the server's rows
 * without them, so each waiting write is applied again on top — an update's changes over the
 * server's row (the server's other fields show), a delete, a create not listed yet. Returns the
 * unsubscribe.
 */
export function overlayPendingWrites(
  qc: QueryClient,
  rows: CachedRows,
  pending: () => readonly OutboxEntry[],
): () => void {
  const under = (key: readonly unknown[], root: readonly unknown[]) => root.every((part, i) => key[i] === part);
  return qc.getQueryCache().subscribe((event) => {
    if (event.type !== 'updated' || event.action.type !== 'success' || event.action.manual) return;
    const key = event.query.queryKey;
    if (!under(key, rows.keys.all)) return;
    const writes = pending().filter((entry) => entry.state !== 'refused');
    if (!writes.length) return;
    const data: unknown = event.query.state.data;
    const next = under(key, rows.keys.details())
      ? overItem(data as Row | undefined, writes, rows)
      : under(key, rows.keys.infinites())
        ? mapInfiniteItems<Row>(data, rows.itemsPath, (items, isLast) => overList(items, writes, rows, isLast))
        : mapListItems<Row>(data, rows.itemsPath, (items) => overList(items, writes, rows, true));
    if (next !== data) qc.setQueryData(key, next);
  });
}

const idOf = (rows: CachedRows, row: Row) => (rows.rowId as (row: Row) => unknown)(row);

function overItem(row: Row | undefined, writes: readonly OutboxEntry[], rows: CachedRows): Row | undefined {
  if (!row || typeof row !== 'object') return row;
  let shown = row;
  for (const write of writes)
    if (write.op === 'update' && sameId(write.key, idOf(rows, shown))) shown = { ...shown, ...(write.body ?? {}) };
  return shown;
}

function overList(items: Row[], writes: readonly OutboxEntry[], rows: CachedRows, isLast: boolean): Row[] {
  let shown = items;
  for (const write of writes) {
    if (write.op === 'update')
      shown = shown.map((row) => (sameId(write.key, idOf(rows, row)) ? { ...row, ...(write.body ?? {}) } : row));
    else if (write.op === 'delete') shown = shown.filter((row) => !sameId(write.key, idOf(rows, row)));
    else if (isLast && rows.keyField && !shown.some((row) => sameId(write.key, idOf(rows, row))))
      shown = [...shown, { ...(write.body ?? {}), [rows.keyField]: write.key }];
  }
  return shown.length === items.length && shown.every((row, i) => row === items[i]) ? items : shown;
}
