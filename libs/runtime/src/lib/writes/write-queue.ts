import type { RetryPolicy } from '../client/retry-policy';
import { toSyncError, type SyncError } from '../client/sync-error';
import type { LiveStatus } from '../status/live-status';

const sleep = (ms: number, wake?: (resume: () => void) => () => void) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    const unsubscribe = wake?.(done);
    function done() {
      clearTimeout(timer);
      unsubscribe?.();
      resolve();
    }
  });

/** Longest wait between two tries of a write while the API cannot be reached. */
const OFFLINE_RETRY_MAX_MS = 5_000;

/**
 * The API cannot be reached: no network, or a gateway in front of it (a proxy, a load balancer,
 * a dev server) says it is down or unavailable (502, 503, 504). Such a write waits; others fail.
 */
export function unreachable(error: SyncError): boolean {
  return (
    error.kind === 'network' ||
    (error.kind === 'http' && (error.status === 502 || error.status === 503 || error.status === 504))
  );
}

/** The app stopped the collection while a write waited: the write stays in the outbox for the next start. */
export class WriteQueueStopped extends Error {
  override readonly name = 'WriteQueueStopped';
}

/**
 * Sends a live collection's writes to the API one at a time, in the order they were made. A write
 * that cannot reach the API waits — as long as it takes, retried with backoff and at once when the
 * stream is live again — and a server error is retried per `x-sync.retry`; a refusal fails it.
 */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private stopped = false;
  private readonly stopListeners = new Set<() => void>();

  constructor(
    private readonly status: LiveStatus,
    private readonly policy: RetryPolicy,
  ) {}

  /** Writes being sent or waiting their turn (the outbox counts what is still unconfirmed: `pendingWrites`). */
  get pending(): number {
    return this.waiting;
  }

  /** Stops sending: waiting writes end with WriteQueueStopped (and stay in a durable outbox). */
  stop(): void {
    this.stopped = true;
    for (const listener of [...this.stopListeners]) listener();
  }

  run<T>(send: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => this.attempt(send));
    this.tail = result.catch(() => undefined);
    const settle = () => void this.waiting--;
    result.then(settle, settle);
    return result;
  }

  private async attempt<T>(send: () => Promise<T>): Promise<T> {
    const base = this.policy.delayMs ?? 500;
    const max = this.policy.maxDelayMs ?? 30_000;
    for (let failures = 0; ; failures++) {
      if (this.stopped)
        throw new WriteQueueStopped('the live collection was stopped before this write reached the API');
      try {
        return await send();
      } catch (cause) {
        const error = toSyncError(cause);
        if (unreachable(error)) {
          // offline: keep the write, try again soon (every 5 s at most) or as soon as the stream is back
          await sleep(Math.min(base * 2 ** failures, OFFLINE_RETRY_MAX_MS), (resume) => {
            const off = this.status.subscribe(() => this.status.status === 'live' && resume());
            this.stopListeners.add(resume);
            return () => {
              off();
              this.stopListeners.delete(resume);
            };
          });
          continue;
        }
        if (!error.retryable || failures >= this.policy.attempts - 1) throw error;
        const delay =
          this.policy.backoff === 'exponential'
            ? base * 2 ** failures
            : this.policy.backoff === 'linear'
              ? base * (failures + 1)
              : base;
        await sleep(Math.min(delay, max));
      }
    }
  }
}
