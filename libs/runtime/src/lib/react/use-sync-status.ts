import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useSyncExternalStore } from 'react';
import { appSyncStatus, type AppSyncStatus } from '../status/app-sync-status';
import { subscribeLiveStatusesOf } from '../status/live-scope';

function sameStatus(a: AppSyncStatus, b: AppSyncStatus): boolean {
  const sameRefusals =
    a.refusedWrites.length === b.refusedWrites.length && a.refusedWrites.every((w, i) => w === b.refusedWrites[i]);
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
