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
  private readonly listeners = new Set<() => void>();

  constructor(readonly name: string) {}

  /** Also enters the app-wide picture: a collection counts once its stream has started. */
  set(status: SyncStatus, error: unknown = null): void {
    registry.add(this);
    const next = error === null ? null : toSyncError(error);
    if (status === this.status && next?.message === this.error?.message) return;
    this.status = status;
    this.error = next;
    for (const listener of [...this.listeners]) listener();
    for (const listener of [...registryListeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const registry = new Set<LiveStatus>();
const registryListeners = new Set<() => void>();

/** Every live collection's status, for the app-wide picture. */
export function liveStatuses(): LiveStatus[] {
  return [...registry];
}

export function subscribeLiveStatuses(listener: () => void): () => void {
  registryListeners.add(listener);
  return () => registryListeners.delete(listener);
}
