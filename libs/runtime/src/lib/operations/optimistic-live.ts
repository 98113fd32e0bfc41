import { createTransaction } from '@tanstack/react-db';
import type { LiveShow } from '../transactions/transaction-write';
import { changes, type OptimisticAround, type OptimisticChange, type OptimisticFor } from './optimistic-change';

/** The collection calls an optimistic action makes (TanStack DB's, narrowed). */
export interface OptimisticCollection<TRow> {
  values(): IterableIterator<TRow>;
  /** (`never`: TanStack DB's takes one row or a list, so the row type is read off `values` alone) */
  insert(row: never): unknown;
  has(key: string | number): boolean;
  update(key: string | number, change: (draft: TRow) => void): unknown;
  delete(key: string | number): unknown;
}

/**
 * Runs `send` inside a TanStack DB transaction that shows `change` on the collection's rows until
 * it settles: the rows stay changed while the request is on its way and until `send` resolves
 * (it waits for the write's txid in the stream), and roll back when it rejects. The collection's
 * own write handlers are not called: the action's request is the write.
 */
export async function runWithChange<TRow extends object, TResult>(
  collection: OptimisticCollection<TRow>,
  keyOf: (row: TRow) => string | number,
  change: OptimisticChange<TRow>,
  send: () => Promise<TResult>,
): Promise<TResult> {
  const apply = changeOn(collection, keyOf, change);
  // no row of it is loaded here: nothing to show (a transaction without changes would not send)
  if (!apply) return send();
  let result!: TResult;
  const transaction = createTransaction({
    autoCommit: true,
    mutationFn: async () => {
      result = await send();
    },
  });
  transaction.mutate(apply);
  await transaction.isPersisted.promise;
  return result;
}

/**
 * The collection calls that show `change`, to run inside a TanStack DB transaction's `mutate`;
 * undefined when it changes no row loaded here. The rows are chosen now, when it is shown.
 */
export function changeOn<TRow extends object>(
  collection: OptimisticCollection<TRow>,
  keyOf: (row: TRow) => string | number,
  change: OptimisticChange<TRow>,
): (() => void) | undefined {
  const rows = [...collection.values()].filter((row) => changes(change, keyOf(row), row));
  const inserted = change.insert;
  if (!rows.length && inserted === undefined) return undefined;
  return () => {
    for (const row of rows) {
      const key = keyOf(row);
      if (change.remove) collection.delete(key);
      else if (change.set) {
        const fields = change.set(row);
        collection.update(key, (draft) => void Object.assign(draft, fields));
      }
    }
    if (inserted !== undefined) (collection.insert as (row: TRow) => unknown)(inserted);
  };
}

/** An action's change as its part of a transaction's shared TanStack DB transaction (see runTransaction). */
export function liveShowOf<TRow extends object>(
  collection: OptimisticCollection<TRow>,
  keyOf: (row: TRow) => string | number,
  change: OptimisticChange<TRow>,
): { live: LiveShow } | undefined {
  const apply = changeOn(collection, keyOf, change);
  return apply && { live: { apply, transaction: createTransaction as unknown as LiveShow['transaction'] } };
}

/** An action's optimistic change shown on a live model's collection (see runWithChange). */
export function optimisticInCollection<TRow extends object, TInput, TResult>(
  collection: OptimisticCollection<TRow>,
  keyOf: (row: TRow) => string | number,
  change: OptimisticFor<TRow, TInput>,
): OptimisticAround<TInput, TResult> {
  return (input, send) => runWithChange(collection, keyOf, change(input), send);
}
