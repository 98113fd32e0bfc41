import { useSyncStatus } from '@sync-patterns/runtime';
import { CloudOffIcon } from './icons';

/**
 * Says what offline means here: the page keeps working, writes wait on this device. A status
 * region (not an alert): being offline is not an error, and it is announced politely.
 */
export function OfflineBanner() {
  const { status, pendingWrites } = useSyncStatus();
  return (
    <div role="status" className="banner-slot">
      {status === 'offline' && (
        <div className="banner" data-testid="offline-banner">
          <div className="banner-body">
            <CloudOffIcon />
            <p>
              <strong>You are offline.</strong>
              You can keep working: changes are saved in this tab and sent when the server is back
              {pendingWrites > 0 ? ` (${pendingWrites === 1 ? '1 change' : `${pendingWrites} changes`} waiting).` : '.'}
            </p>
          </div>
        </div>
      )}
    </div>
  );
}
