import { useTodoCounts } from '@sync-patterns/example-api-todo-count';
import { useSyncStatus } from '@sync-patterns/runtime';
import { useEffect, useState } from 'react';
import { RefreshIcon } from './icons';
import { PanelHead } from './ModeBadge';

/** Todo counts per project, computed by the API (cache mode): fresh for 30 s, refreshed by writes. */
export function TodoCounts() {
  const counts = useTodoCounts();
  const now = useNow(5_000);
  const offline = useSyncStatus().status === 'offline';
  return (
    <section className="panel" aria-labelledby="counts-title">
      <PanelHead id="counts-title" title="Progress" mode="cache" />
      {!counts.data && (
        <p className="empty" aria-busy={counts.status === 'connecting'}>
          {counts.status === 'offline'
            ? 'Offline: the counts load when the server is back.'
            : counts.error
              ? `Counts unavailable: ${counts.error.message}`
              : 'Loading counts…'}
        </p>
      )}
      {counts.data?.length === 0 && <p className="empty">No projects to count.</p>}
      {counts.data && counts.data.length > 0 && (
        <ul className="count-list">
          {counts.data.map((row) => (
            <li key={row.project_id} className="count-row" data-testid="count">
              <span className="name">{row.project_name}</span>
              <span className="ratio">
                {row.done}/{row.total} done
              </span>
              <span className="meter" role="img" aria-label={`${row.done} of ${row.total} done`}>
                <span style={{ width: row.total ? `${(100 * row.done) / row.total}%` : 0 }} />
              </span>
              <span className="breakdown">
                {row.todo} to do · {row.doing} in progress
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className="stats-footer">
        <span>
          {counts.updatedAt ? (
            <>
              {offline ? 'Offline · last updated ' : 'Updated '}
              <time
                dateTime={new Date(counts.updatedAt).toISOString()}
                title={new Date(counts.updatedAt).toLocaleString()}
              >
                {ago(counts.updatedAt, now)}
              </time>
            </>
          ) : (
            'Not loaded yet'
          )}
        </span>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => void counts.refresh().catch(() => undefined)}
        >
          <RefreshIcon />
          Refresh
        </button>
      </div>
    </section>
  );
}

/** The time, re-read every `interval` ms, for "updated 20 s ago". */
function useNow(interval: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), interval);
    return () => clearInterval(timer);
  }, [interval]);
  return now;
}

function ago(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((Math.max(now, Date.now()) - at) / 1000));
  if (seconds < 10) return 'just now';
  if (seconds < 60) return `${seconds - (seconds % 5)} s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min ago` : new Date(at).toLocaleTimeString();
}
