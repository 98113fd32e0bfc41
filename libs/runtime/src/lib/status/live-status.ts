import { toSyncError, type SyncError } from '../client/sync-error';
import type { SyncStatus } from './sync-status';
import type { OutboxEntry, StoredRefusal, StoredRequest } from '../sqlite/outbox';

/**
 * A write the API refused (a 4xx, or a server error past `x-sync.retry`): kept in the outbox and
 * listed until the app sends it again or drops it. Nothing the user did vanishes unseen.
 */
export interface RefusedWrite {
  /** The live collection's id (`<api>/<model>`). */
  model: string;
  seq: number;
  op: OutboxEntry['op'];
  key: string | number;
  request: StoredRequest | null;
  refusal: StoredRefusal;
  /** Sends it again (a new Idempotency-Key); refused again, it is listed again. */
  retry(): Promise<void>;
  /** Drops it: the server's state stands. */
  discard(): Promise<void>;
}

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
  /** Writes in the outbox not yet confirmed: waiting, sent, or sent and waiting for their txid in the stream. */
  pendingWrites = 0;
  /** Writes the API refused, oldest first, until retried or discarded. */
  refusedWrites: readonly RefusedWrite[] = [];
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

  setRefusedWrites(refused: readonly RefusedWrite[]): void {
    if (refused.length === this.refusedWrites.length && refused.every((write, i) => write === this.refusedWrites[i]))
      return;
    this.refusedWrites = refused;
    for (const listener of [...this.listeners]) listener();
    this.onChange();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
