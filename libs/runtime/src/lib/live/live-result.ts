import type { QueryKey } from '@tanstack/react-query';
import type { SyncError } from '../client/sync-error';
import type { SyncQueryResult, SyncStatus } from '../status/sync-status';

/** The parts of a live query result (`useLiveRows`) the unified result is made of. */
export interface LiveQueryLike<T> {
  data: T | undefined;
  isReady: boolean;
  isError: boolean;
}

/**
 * The unified result (the same shape push mode gives) from a live query: no data until the
 * collection's first snapshot is in, then every change as it streams.
 */
export function toLiveResult<T>(
  query: LiveQueryLike<T>,
  stream: { status: SyncStatus; error: SyncError | null },
  queryKey: QueryKey,
  refetch: () => Promise<unknown>,
): SyncQueryResult<T> {
  const status: SyncStatus = stream.status === 'live' && !query.isReady ? 'connecting' : stream.status;
  return {
    data: query.isReady ? query.data : undefined,
    isLoading: !query.isReady && stream.status !== 'error',
    error: stream.error,
    status,
    queryKey,
    refetch,
  };
}
