import { useSyncStatus, type SyncStatus } from '@sync-patterns/runtime';

const WORDS: Record<SyncStatus, string> = {
  live: 'Live',
  connecting: 'Connecting…',
  offline: 'Offline',
  error: 'Sync error',
};
const EXPLANATIONS: Record<SyncStatus, string> = {
  live: 'Every list is up to date with the server.',
  connecting: 'Reaching the server…',
  offline: 'The server cannot be reached; changes wait on this device.',
  error: 'The server answered with an error.',
};

/** The app-wide sync status as a pill: one word, the writes still on their way, the newest error as its tooltip. */
export function SyncIndicator() {
  const { status, pendingWrites, error } = useSyncStatus();
  return (
    <div
      role="status"
      className="sync-pill"
      data-testid="sync-status"
      data-status={status}
      title={error?.message ?? EXPLANATIONS[status]}
    >
      <span className="dot" aria-hidden="true" />
      <span>
        <span className="visually-hidden">Sync status: </span>
        {WORDS[status]}
      </span>
      {pendingWrites > 0 && (
        <span className="pending" data-testid="pending-writes">
          {pendingWrites} pending
        </span>
      )}
    </div>
  );
}
