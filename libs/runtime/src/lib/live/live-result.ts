import type { QueryKey } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import type { SyncError } from '../sync-error';
import type { SyncQueryResult, SyncStatus } from '../sync-status';
import type { LiveStatus } from './live-status';

/** The parts of a live query result (`useLiveRows`) the unified result is made of. */
export interface LiveQueryLike<T> {
  data: T | undefined;
  isReady: boolean;
  isError: boolean;
}

/** A live collection's stream status, re-rendering when it changes. */
export function useLiveStatus(status: LiveStatus): {
  status: SyncStatus;
  error: SyncError | null;
} {
  const current = useSyncExternalStore(
    status.subscribe,
    () => status.status,
    () => status.status,
  );
  const error = useSyncExternalStore(
    status.subscribe,
    () => status.error,
    () => status.error,
  );
  return { status: current, error };
}

/**
 * The unified result (the same shape push mode gives) from a live query: no data until the
 * collection's first snapshot is in, then every change as it streams.
 */
export function toLiveResult<T>(query: LiveQueryLike<T>, stream: { status: SyncStatus; error: SyncError | null }, queryKey: QueryKey, refetch: () => Promise<unknown>): SyncQueryResult<T> {
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
