import type { QueryClient } from '@tanstack/react-query';
import type { SyncRequest, SyncResponse } from '../client/sync-client';
import type { OperationTouches } from '../operations/operation-touches';
import type { OptimisticChange } from '../operations/optimistic-change';
import { showInCache, type OptimisticPushTarget } from '../operations/optimistic-push';

/**
 * One write of a transaction, as generated code describes it: made for the app's QueryClient once
 * the transaction starts (inputs are validated then, before anything shows or is sent).
 */
export type TransactionWrite<TResult = unknown> = (
  queryClient: QueryClient,
) => Promise<PreparedTransactionWrite<TResult>>;

/**
 * Where a write's optimistic change shows: a push model's cache (`push` shows it and returns its
 * undo), or a live model's collection.
 */
export type ShowOn = { push: (queryClient: QueryClient) => Promise<() => void> } | { live: LiveShow };

/** A change on a push model's cache, as a transaction shows it. */
export function onPushCache<TRow>(target: OptimisticPushTarget<TRow>, change: OptimisticChange<TRow>): ShowOn {
  return { push: (queryClient) => showInCache(queryClient, target, change) };
}

/**
 * A live model's part of a transaction's optimistic state: `apply` changes its collection inside
 * the one TanStack DB transaction every live write of the transaction shares (made with
 * `transaction`, TanStack DB's createTransaction, handed over by the live entry of the runtime).
 */
export interface LiveShow {
  apply(): void;
  transaction: (config: { autoCommit: boolean; mutationFn: () => Promise<void> }) => {
    mutate(apply: () => void): unknown;
    isPersisted: { promise: Promise<unknown> };
  };
}

export interface PreparedTransactionWrite<TResult = unknown> {
  /** What it is, in errors and in the transaction's report: `POST /projects`. */
  label: string;
  /** Sends the request (the runner adds an Idempotency-Key, the same if it is sent again). */
  send(request: SyncRequest): Promise<SyncResponse<TResult>>;
  request: SyncRequest;
  /**
   * The row it writes (`<model> <key>`) and the row as the client had it then: its version goes out
   * as If-Match (the model's x-sync.version). A later write of the same row in the transaction goes
   * without it: the row's version is then the transaction's own.
   */
  row?: { id: string; base: Record<string, unknown> | null };
  show?: ShowOn | undefined;
  /** What it may change: settled (txids awaited, queries refetched) once the transaction is done. */
  touches: OperationTouches;
  /**
   * The request that undoes it once the API applied it (a create's delete, an update back to the
   * fields it changed): sent when a later write of the transaction fails. None: it cannot be undone.
   */
  // (a method: writes of different answers go in one list of TransactionWrite)
  undo?(data: TResult): SyncRequest | undefined;
}
