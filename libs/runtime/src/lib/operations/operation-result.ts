import type { SyncError } from '../client/sync-error';
import { toSyncError } from '../client/sync-error';
import { toSyncResult, type QueryResultLike, type SyncQueryResult } from '../status/sync-status';
import type { QueryKey } from '@tanstack/react-query';

/** The unified result of a generated operation hook that writes: call it, and what became of the last call. */
export interface SyncMutationResult<TResult, TInput> {
  /** Runs the operation; resolves once what it changed shows, rejects with a SyncError. */
  mutate: (input: TInput) => Promise<TResult>;
  isPending: boolean;
  /** The last call's error (a SyncError), until the next call or `reset()`. */
  error: SyncError | null;
  /** The last successful call's answer. */
  data: TResult | undefined;
  reset: () => void;
}

/** The parts of TanStack Query's mutation result the unified one is made of. */
export interface MutationResultLike<TResult, TInput> {
  mutateAsync: (input: TInput) => Promise<TResult>;
  isPending: boolean;
  error: unknown;
  data: TResult | undefined;
  reset: () => void;
}

export function toMutationResult<TResult, TInput>(
  mutation: MutationResultLike<TResult, TInput>,
): SyncMutationResult<TResult, TInput> {
  return {
    mutate: mutation.mutateAsync,
    isPending: mutation.isPending,
    error: mutation.error ? toSyncError(mutation.error) : null,
    data: mutation.data,
    reset: mutation.reset,
  };
}

/** The result of an infinite query operation: every loaded page, and how to load the next. */
export interface SyncInfiniteResult<TPage> extends SyncQueryResult<TPage[]> {
  fetchNextPage: () => Promise<unknown>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
}

export function toInfiniteResult<TPage>(
  query: QueryResultLike<{ pages: TPage[] }> & {
    fetchNextPage: () => Promise<unknown>;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
  },
  queryKey: QueryKey,
): SyncInfiniteResult<TPage> {
  const result = toSyncResult(query, queryKey);
  return {
    ...result,
    data: query.data?.pages,
    fetchNextPage: query.fetchNextPage,
    hasNextPage: query.hasNextPage,
    isFetchingNextPage: query.isFetchingNextPage,
  };
}
