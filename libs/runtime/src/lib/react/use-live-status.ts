import { useSyncExternalStore } from 'react';
import type { SyncError } from '../client/sync-error';
import type { LiveStatus } from '../status/live-status';
import type { SyncStatus } from '../status/sync-status';

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
