import { toSyncError, type SyncError } from '../sync-error';
import type { SyncStatus } from '../sync-status';

/**
 * Where one live collection's stream stands (connecting / live / offline / error) and its last
 * error. TanStack DB collections have no error field, so the stream's fetches and `onError` feed
 * this store instead, and hooks and `useSyncStatus()` read it.
 */
export class LiveStatus {
  status: SyncStatus = 'connecting';
  error: SyncError | null = null;
  /** A collection counts in the app-wide picture once its stream has started. */
  started = false;
  /** Writes sent or waiting to be sent (offline writes included). */
  pendingWrites = 0;
  private readonly listeners = new Set<() => void>();

  /** `onChange` tells the scope the collection belongs to (see live-scope). */
  constructor(
    readonly name: string,
    private readonly onChange: () => void = () => undefined,
  ) {}

  set(status: SyncStatus, error: unknown = null): void {
    const next = error === null ? null : toSyncError(error);
    const first = !this.started;
    this.started = true;
    if (!first && status === this.status && next?.message === this.error?.message) return;
    this.status = status;
    this.error = next;
    for (const listener of [...this.listeners]) listener();
    this.onChange();
  }

  setPendingWrites(count: number): void {
    if (count === this.pendingWrites) return;
    this.pendingWrites = count;
    for (const listener of [...this.listeners]) listener();
    this.onChange();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
