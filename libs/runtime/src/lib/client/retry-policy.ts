import { toSyncError } from './sync-error';

/** The `x-sync.retry` setting of a model, as generated code passes it. */
export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  backoff: 'exponential' | 'linear' | 'fixed';
  /** Delay before the first retry, in milliseconds. */
  delayMs?: number;
  maxDelayMs?: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 3,
  backoff: 'exponential',
  delayMs: 500,
  maxDelayMs: 30_000,
};

/**
 * TanStack Query `retry` / `retryDelay` options for a policy. Only errors that can succeed on a second
 * try are retried (network, 5xx, 408, 429); a 4xx or a validation error fails at once.
 */
export function retryOptions(policy: RetryPolicy) {
  const base = policy.delayMs ?? 500;
  const max = policy.maxDelayMs ?? 30_000;
  return {
    retry: (failureCount: number, error: unknown) => failureCount < policy.attempts - 1 && toSyncError(error).retryable,
    retryDelay: (attempt: number) => {
      const delay =
        policy.backoff === 'exponential'
          ? base * 2 ** attempt
          : policy.backoff === 'linear'
            ? base * (attempt + 1)
            : base;
      return Math.min(delay, max);
    },
  };
}
