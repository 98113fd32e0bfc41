import { useSyncStatus } from '@sync-patterns/runtime';

const COLOURS = { live: '#1a7f37', connecting: '#9a6700', offline: '#6e7781', error: '#cf222e' } as const;

/** The app-wide sync status: one word, the writes still on their way, the newest error. */
export function SyncIndicator() {
  const { status, pendingWrites, error } = useSyncStatus();
  return (
    <p data-testid="sync-status" data-status={status} style={{ margin: 0, color: COLOURS[status] }} title={error?.message}>
      ● {status}
      {pendingWrites > 0 && <span data-testid="pending-writes"> · {pendingWrites} pending</span>}
    </p>
  );
}
