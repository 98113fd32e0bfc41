import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { toSyncError, type SyncError } from '../client/sync-error';
import { runTransaction } from './run-transaction';
import type { TransactionWrite } from './transaction-write';

type Results<T extends readonly TransactionWrite[]> = {
  [K in keyof T]: T[K] extends TransactionWrite<infer R> ? R : never;
};

/**
 * Writes to several models as one, in a component: `run([projectWrites.update!(id, { name }),
 * todoWrites.create!(input), archiveTodoWrite({ path: { id } })])` shows them together, sends them
 * in order and resolves with their answers once all are in view; a refusal undoes and rolls back
 * them all and rejects with a TransactionError (see runTransaction).
 */
export function useSyncTransaction(): {
  run: <T extends readonly TransactionWrite[]>(writes: readonly [...T]) => Promise<Results<T>>;
  isPending: boolean;
  error: SyncError | null;
} {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(0);
  const [error, setError] = useState<SyncError | null>(null);
  const run = useCallback(
    async <T extends readonly TransactionWrite[]>(writes: readonly [...T]) => {
      setPending((n) => n + 1);
      try {
        const results = (await runTransaction(queryClient, writes)) as Results<T>;
        setError(null);
        return results;
      } catch (cause) {
        const failure = toSyncError(cause);
        setError(failure);
        throw failure;
      } finally {
        setPending((n) => n - 1);
      }
    },
    [queryClient],
  );
  return { run, isPending: pending > 0, error };
}
