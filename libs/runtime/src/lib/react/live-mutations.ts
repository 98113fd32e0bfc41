import { useCallback, useState } from 'react';
import { toSyncError, type SyncError } from '../client/sync-error';

/** A TanStack DB transaction, as far as the unified mutations need it. */
export interface PendingWrite {
  isPersisted: { promise: Promise<unknown> };
}

/**
 * Tracks the writes of one `use<Model>Mutations()`: pending while any is on its way, the newest
 * failure's error after its rollback. Returns a runner for each write.
 */
export function useWriteTracker(): {
  isPending: boolean;
  error: SyncError | null;
  track: <R>(start: () => PendingWrite | Promise<PendingWrite>, result: () => R) => Promise<R>;
} {
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<SyncError | null>(null);
  const track = useCallback(
    async <R>(start: () => PendingWrite | Promise<PendingWrite>, result: () => R): Promise<R> => {
      setPending((n) => n + 1);
      try {
        // start() validates and applies the optimistic write; the API call and the wait for its txid
        // in the stream happen behind isPersisted
        await (
          await start()
        ).isPersisted.promise;
        setError(null);
        return result();
      } catch (cause) {
        const syncError = toSyncError(cause);
        setError(syncError);
        throw syncError;
      } finally {
        setPending((n) => n - 1);
      }
    },
    [],
  );
  return { isPending: pending > 0, error, track };
}
