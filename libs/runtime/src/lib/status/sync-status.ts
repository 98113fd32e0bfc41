import type { QueryKey } from '@tanstack/react-query';
import { toSyncError, type SyncError } from '../client/sync-error';

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
