import type { QueryClient } from '@tanstack/react-query';
import { toSyncError, type SyncError } from '../client/sync-error';
import { liveStatusesOf } from './live-scope';
import type { RefusedWrite } from './live-status';
import type { SyncStatus } from './sync-status';

/** The app-wide picture: one indicator for every model of every mode that uses a QueryClient. */
export interface AppSyncStatus {
  status: SyncStatus;
  /**
   * Writes sent or waiting to be sent: in the outbox until confirmed (live: their txid synced;
   * push with a local database: the API's answer), else the pending mutations.
   */
  pendingWrites: number;
  /** The most recent error of any read or write, if it is still current. */
  error: SyncError | null;
  /**
   * Writes the API refused (every model with writes), kept in the outbox until the app
   * retries or discards each: a write replayed after a restart has no caller left to tell, so this
   * list is where it shows.
   */
  refusedWrites: readonly RefusedWrite[];
  /**
   * The refused writes that are conflicts (`refusal.conflict`: a stale base under backend-wins, a
   * row gone, a 409), with the base, local and server rows to show. `retry()` sends the write again
   * on the server's row (the client's change wins); `discard()` keeps the server's.
   */
  conflicts: readonly RefusedWrite[];
}

/** The app-wide picture now, outside React (what `useSyncStatus()` renders). */
export function appSyncStatus(qc: QueryClient): AppSyncStatus {
  const queries = qc
    .getQueryCache()
    .getAll()
    .map((q) => q.state);
  const all = qc.getMutationCache().getAll();
  const mutations = all.map((m) => m.state);
  const live = liveStatusesOf(qc);
  // live writes are TanStack DB transactions, counted by their collections' outboxes; push writes
  // through an outbox are counted by it (they stay there across a restart, the mutation does not)
  const pendingMutations = all.filter((m) => m.state.status === 'pending' && !m.options.meta?.['outbox']).length;
  const pendingWrites = pendingMutations + live.reduce((sum, l) => sum + l.pendingWrites, 0);
  const errors = [
    ...queries.filter((q) => q.status === 'error').map((q) => ({ at: q.errorUpdatedAt, error: q.error })),
    ...mutations.filter((m) => m.status === 'error').map((m) => ({ at: m.submittedAt, error: m.error })),
  ].sort((a, b) => b.at - a.at);
  // live collections' streams count as much as queries
  const error = (errors.length ? toSyncError(errors[0].error) : null) ?? live.find((l) => l.error)?.error ?? null;
  const paused = queries.some((q) => q.fetchStatus === 'paused') || mutations.some((m) => m.isPaused);
  let status: SyncStatus = 'live';
  if (paused || error?.kind === 'network' || live.some((l) => l.status === 'offline')) status = 'offline';
  else if (error || live.some((l) => l.status === 'error')) status = 'error';
  else if (
    queries.some((q) => q.status === 'pending' && q.fetchStatus === 'fetching') ||
    live.some((l) => l.status === 'connecting')
  )
    status = 'connecting';
  const refusedWrites = live.flatMap((l) => l.refusedWrites);
  const conflicts = refusedWrites.filter((w) => w.refusal.conflict !== undefined);
  return { status, pendingWrites, error, refusedWrites, conflicts };
}
