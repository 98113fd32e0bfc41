import { sameId } from '../push/list-data';

/**
 * What an action shows at once on a model's rows, before the server answers: declared in the spec
 * (`x-sync-optimistic`, compiled by the generator) or passed by the app to the action's hook. The
 * same in every mode: push applies it to the model's cached lists and items, live to its collection.
 */
export interface OptimisticChange<T> {
  /** The rows it changes, by key (several for a bulk action). */
  keys?: readonly unknown[];
  /** …or every row this accepts (rows loaded on this client). */
  where?: (row: T) => boolean;
  /** The fields it sets on each row, from the row as it stands. */
  set?: (row: T) => Partial<T>;
  /** The rows leave the model's lists (an archive that hides, a delete). */
  remove?: boolean;
  /** A new row, shown at the end of the lists it belongs in (a create in a transaction). */
  insert?: T;
}

/** An action's optimistic change for its input: the spec's, or the one the app passed to the hook. */
export type OptimisticFor<T, TInput> = (input: TInput) => OptimisticChange<T>;

/**
 * How an action shows its change while its request is on its way: runs `send` (the request, and
 * the wait for what it changed) with the change shown, and takes it back if `send` rejects.
 */
export type OptimisticAround<TInput, TResult> = (input: TInput, send: () => Promise<TResult>) => Promise<TResult>;

/** Whether `row` (with key `key`) is one the change applies to. */
export function changes<T>(change: OptimisticChange<T>, key: unknown, row: T): boolean {
  if (change.keys && change.keys.some((k) => sameId(k, key))) return true;
  return change.where !== undefined && change.where(row);
}

/** The value at `path` inside a request body: where a declared change reads its values (`$request.body#/…`). */
export function bodyValue(body: unknown, path: readonly string[]): unknown {
  let current = body;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.prototype.hasOwnProperty.call(current, segment)
      ? (current as Record<string, unknown>)[segment]
      : undefined;
  }
  return current;
}

/** One key or a list of keys, read from a request, as a list. */
export function keyList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
