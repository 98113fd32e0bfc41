import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { liveStatusesOf, subscribeLiveStatusesOf } from './live/live-scope';
import type { RefusedWrite } from './live/live-status';
import { toSyncError, type SyncError } from './sync-error';

/**
 * Where a piece of data stands, the same words in every mode:
 * - connecting: no data yet, a request or stream is under way;
 * - live: the data reflects the server as of the last answer (push/cache) or the stream (live);
 * - offline: the server cannot be reached (network error, or the browser says it is offline);
 * - error: the server answered with an error.
 */
export type SyncStatus = 'connecting' | 'live' | 'offline' | 'error';

/** The unified result of every generated read hook, whatever the model's mode. */
export interface SyncQueryResult<T> {
  data: T | undefined;
  isLoading: boolean;
  error: SyncError | null;
  status: SyncStatus;
  queryKey: QueryKey;
  refetch: () => Promise<unknown>;
}

interface QueryStateLike {
  status: 'pending' | 'error' | 'success';
  fetchStatus: 'fetching' | 'paused' | 'idle';
  error: unknown;
}

export function statusOf(state: QueryStateLike): SyncStatus {
  if (state.fetchStatus === 'paused') return 'offline';
  if (state.status === 'error') return toSyncError(state.error).kind === 'network' ? 'offline' : 'error';
  if (state.status === 'pending') return 'connecting';
  return 'live';
}

/** The parts of a TanStack Query result (plain, suspense or infinite) the unified result is made of. */
export interface QueryResultLike<T> extends QueryStateLike {
  data: T | undefined;
  isLoading: boolean;
  refetch: () => Promise<unknown>;
}

export function toSyncResult<T>(query: QueryResultLike<T>, queryKey: QueryKey): SyncQueryResult<T> {
  return {
    data: query.data,
    isLoading: query.isLoading,
    error: query.error ? toSyncError(query.error) : null,
    status: statusOf(query),
    queryKey,
    refetch: query.refetch,
  };
}

export interface AppSyncStatus {
  status: SyncStatus;
  /**
   * Writes sent or waiting to be sent: in the outbox until confirmed (live: their txid synced;
   * push with a local database: the API's answer), else the pending mutations.
   */
  pendingWrites: number;
  /** The most recent error of any read or write, if it is still current. */
  error: SyncError | null;
  /**
   * Writes the API refused (live, and push with a local database), kept in the outbox until the app
   * retries or discards each: a write replayed after a restart has no caller left to tell, so this
   * list is where it shows.
   */
  refusedWrites: readonly RefusedWrite[];
}

/** The app-wide picture now, outside React (what `useSyncStatus()` renders). */
export function appSyncStatus(qc: QueryClient): AppSyncStatus {
  const queries = qc
    .getQueryCache()
    .getAll()
    .map((q) => q.state);
  const all = qc.getMutationCache().getAll();
  const mutations = all.map((m) => m.state);
  const live = liveStatusesOf(qc);
  // live writes are TanStack DB transactions, counted by their collections' outboxes; push writes
  // through an outbox are counted by it (they stay there across a restart, the mutation does not)
  const pendingMutations = all.filter((m) => m.state.status === 'pending' && !m.options.meta?.['outbox']).length;
  const pendingWrites = pendingMutations + live.reduce((sum, l) => sum + l.pendingWrites, 0);
  const errors = [
    ...queries.filter((q) => q.status === 'error').map((q) => ({ at: q.errorUpdatedAt, error: q.error })),
    ...mutations.filter((m) => m.status === 'error').map((m) => ({ at: m.submittedAt, error: m.error })),
  ].sort((a, b) => b.at - a.at);
  // live collections' streams count as much as queries
  const error = (errors.length ? toSyncError(errors[0].error) : null) ?? live.find((l) => l.error)?.error ?? null;
  const paused = queries.some((q) => q.fetchStatus === 'paused') || mutations.some((m) => m.isPaused);
  let status: SyncStatus = 'live';
  if (paused || error?.kind === 'network' || live.some((l) => l.status === 'offline')) status = 'offline';
  else if (error || live.some((l) => l.status === 'error')) status = 'error';
  else if (queries.some((q) => q.status === 'pending' && q.fetchStatus === 'fetching') || live.some((l) => l.status === 'connecting')) status = 'connecting';
  const refusedWrites = live.flatMap((l) => l.refusedWrites);
  return { status, pendingWrites, error, refusedWrites };
}

function sameStatus(a: AppSyncStatus, b: AppSyncStatus): boolean {
  const sameRefusals = a.refusedWrites.length === b.refusedWrites.length && a.refusedWrites.every((w, i) => w === b.refusedWrites[i]);
  return a.status === b.status && a.pendingWrites === b.pendingWrites && a.error === b.error && sameRefusals;
}

/** The app-wide picture: one indicator for every model of every mode that uses this QueryClient. */
export function useSyncStatus(): AppSyncStatus {
  const qc = useQueryClient();
  const last = useRef<AppSyncStatus | null>(null);
  const subscribe = useCallback(
    (notify: () => void) => {
      const offQueries = qc.getQueryCache().subscribe(notify);
      const offMutations = qc.getMutationCache().subscribe(notify);
      const offLive = subscribeLiveStatusesOf(qc, notify);
      return () => {
        offQueries();
        offMutations();
        offLive();
      };
    },
    [qc],
  );
  const snapshot = useCallback(() => {
    const next = appSyncStatus(qc);
    if (last.current && sameStatus(last.current, next)) return last.current;
    last.current = next;
    return next;
  }, [qc]);
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
