import type { QueryClient } from '@tanstack/react-query';
import { restoreCache, snapshotCache } from '../push/cache-snapshot';
import { mapInfiniteItems, mapListItems, type ItemsPath } from '../push/list-data';
import type { ModelKeys } from '../push/model-keys';
import { changes, type OptimisticAround, type OptimisticChange, type OptimisticFor } from './optimistic-change';

/** What an action's optimistic change needs of a push (or cache) model: its keys and rows. */
export interface OptimisticPushTarget<TRow> {
  keys: Pick<ModelKeys, 'all' | 'lists' | 'infinites' | 'details'>;
  rowId: (row: TRow) => unknown;
  itemsPath: ItemsPath;
}

/**
 * Shows `change` in every cached list and item of the model and returns how to undo it. In-flight
 * reads of the model are cancelled first, so none lands over the optimistic state. A list asked
 * for with a parameter the change now contradicts (`project_id` of a moved row) loses the row.
 */
export async function showInCache<TRow>(
  qc: QueryClient,
  target: OptimisticPushTarget<TRow>,
  change: OptimisticChange<TRow>,
): Promise<() => void> {
  const snapshot = await snapshotCache(qc, target.keys.all);
  const edit = (rows: TRow[], params: unknown) =>
    rows.flatMap((row) => {
      if (!changes(change, target.rowId(row), row)) return [row];
      if (change.remove) return [];
      const next = { ...row, ...change.set?.(row) };
      return stillListed(next, params) ? [next] : [];
    });
  const inserted = change.insert;
  const withInsert = (rows: TRow[], params: unknown, isLast: boolean) =>
    inserted !== undefined && isLast && stillListed(inserted, params)
      ? [...edit(rows, params), inserted]
      : edit(rows, params);
  for (const [key] of qc.getQueriesData({ queryKey: target.keys.lists() }))
    qc.setQueryData(key, (data: unknown) =>
      mapListItems<TRow>(data, target.itemsPath, (rows) => withInsert(rows, key[3], true)),
    );
  for (const [key] of qc.getQueriesData({ queryKey: target.keys.infinites() }))
    qc.setQueryData(key, (data: unknown) =>
      mapInfiniteItems<TRow>(data, target.itemsPath, (rows, isLast) => withInsert(rows, key[3], isLast)),
    );
  qc.setQueriesData({ queryKey: target.keys.details() }, (row: TRow | undefined) =>
    row === undefined || change.remove || !changes(change, target.rowId(row), row)
      ? row
      : { ...row, ...change.set?.(row) },
  );
  return () => restoreCache(qc, snapshot);
}

/** A row still belongs in a list asked for with `params` when every parameter naming one of its fields agrees. */
function stillListed(row: unknown, params: unknown): boolean {
  if (params === null || typeof params !== 'object' || row === null || typeof row !== 'object') return true;
  const fields = row as Record<string, unknown>;
  return Object.entries(params as Record<string, unknown>).every(
    ([name, value]) => !(name in fields) || value === undefined || String(fields[name]) === String(value),
  );
}

/** An action's optimistic change shown in a push model's cache, undone if the server refuses it (see showInCache). */
export function optimisticInCache<TRow, TInput, TResult>(
  qc: QueryClient,
  target: OptimisticPushTarget<TRow>,
  change: OptimisticFor<TRow, TInput>,
): OptimisticAround<TInput, TResult> {
  return async (input, send) => {
    const undo = await showInCache(qc, target, change(input));
    try {
      return await send();
    } catch (error) {
      undo();
      throw error;
    }
  };
}
