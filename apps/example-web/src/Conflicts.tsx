import { useSyncStatus, type RefusedWrite } from '@sync-patterns/runtime';
import { useState } from 'react';
import { AlertIcon } from './icons';

/** Fields the server's row holds but no user should be asked about. */
const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'updated_at', 'owner_id', 'project_id']);

/**
 * Changes the server could not take as made (someone changed the row first, or it is gone), from
 * `useSyncStatus().conflicts`: each shows what the user meant beside what the server now holds,
 * and lets them keep theirs (sent again on the server's row) or the server's. Nothing is dropped
 * unseen: a write replayed after a reload lands here too.
 */
export function Conflicts() {
  const { conflicts } = useSyncStatus();
  if (!conflicts.length) return null;
  return (
    <section className="conflicts" aria-labelledby="conflicts-title">
      <h2 id="conflicts-title" className="visually-hidden">
        Changes that need you
      </h2>
      {conflicts.map((write) => (
        <Conflict key={`${write.model}:${write.seq}`} write={write} />
      ))}
    </section>
  );
}

function Conflict({ write }: { write: RefusedWrite }) {
  const [busy, setBusy] = useState(false);
  const conflict = write.refusal.conflict!;
  const what = write.model.split('/').pop() ?? write.model;
  const act = (run: () => Promise<void>) => {
    setBusy(true);
    void run().finally(() => setBusy(false));
  };
  const base = conflict.base ?? {};
  const local = conflict.local ?? {};
  const server = conflict.server ?? {};
  // what this write changed, beside the server's value of the same field
  const fields = Object.keys(local).filter(
    (name) => !BOOKKEEPING.has(name) && JSON.stringify(local[name]) !== JSON.stringify(base[name]),
  );
  const heading =
    conflict.reason === 'stale'
      ? `Someone changed this ${what} before your change arrived`
      : conflict.reason === 'gone'
        ? `This ${what} was deleted before your change arrived`
        : `The server refused your ${what}: it conflicts with another`;
  return (
    <div role="alert" className="alert conflict">
      <AlertIcon />
      <div className="alert-body">
        <strong>{heading}</strong>
        {fields.length > 0 && (
          <dl className="conflict-fields">
            {fields.map((name) => (
              <div key={name}>
                <dt>{name}</dt>
                <dd>
                  yours <q>{String(local[name])}</q>
                  {conflict.reason === 'stale' && (
                    <>
                      , now <q>{String(server[name])}</q>
                    </>
                  )}
                </dd>
              </div>
            ))}
          </dl>
        )}
        <div className="conflict-actions">
          {conflict.reason === 'stale' && (
            <button type="button" className="button" disabled={busy} onClick={() => act(write.retry)}>
              Keep mine
            </button>
          )}
          <button type="button" className="button button-quiet" disabled={busy} onClick={() => act(write.discard)}>
            {conflict.reason === 'stale' ? 'Keep theirs' : 'Dismiss'}
          </button>
        </div>
      </div>
    </div>
  );
}
