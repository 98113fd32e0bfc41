import { useTodoCounts } from '@sync-patterns/example-api-todo-count';

/** Todo counts per project, computed by the API (cache mode): fresh for 30 s, refreshed by writes. */
export function TodoCounts() {
  const counts = useTodoCounts();
  return (
    <section aria-label="Counts (cache mode)">
      <h2 style={{ fontSize: '1rem' }}>
        Counts <small>cache{counts.isStale ? ' · stale' : ''}</small>
      </h2>
      <table>
        <tbody>
          {counts.data?.map((row) => (
            <tr key={row.project_id} data-testid="count">
              <td>{row.project_name}</td>
              <td>
                {row.done}/{row.total} done
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {counts.updatedAt && <small>as of {new Date(counts.updatedAt).toLocaleTimeString()}</small>}
    </section>
  );
}
