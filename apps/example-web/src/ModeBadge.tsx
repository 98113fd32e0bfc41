import type { ReactNode } from 'react';

/** What each sync mode means, in a visitor's words: the badge and the sentence under a panel's title. */
export type Mode = 'push' | 'live' | 'cache';

const LABELS: Record<Mode, string> = { push: 'Push', live: 'Live', cache: 'Cache' };

export const MODE_EXPLANATIONS: Record<Mode, string> = {
  push: 'Fetched from the API; your changes are sent as requests and shown before the server answers.',
  live: 'Streamed from Postgres into a database in this tab: changes from any window appear at once, and it keeps working offline.',
  cache: 'Computed by the server and kept for 30 s; your own changes refresh it at once.',
};

export function ModeBadge({ mode }: { mode: Mode }) {
  return (
    <span className={`mode mode-${mode}`} title={MODE_EXPLANATIONS[mode]}>
      {LABELS[mode]}
      <span className="visually-hidden"> mode</span>
    </span>
  );
}

/** A panel's title with the badge of the mode its data syncs in, and the sentence saying what that means. */
export function PanelHead({
  id,
  title,
  mode,
  small = false,
}: {
  id: string;
  title: ReactNode;
  mode: Mode;
  small?: boolean;
}) {
  return (
    <>
      <div className="panel-head">
        {small ? (
          <h3 id={id} style={{ fontSize: '0.95rem' }}>
            {title}
          </h3>
        ) : (
          <h2 id={id}>{title}</h2>
        )}
        <ModeBadge mode={mode} />
      </div>
      <p className="panel-note">{MODE_EXPLANATIONS[mode]}</p>
    </>
  );
}
