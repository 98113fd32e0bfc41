import type { LiveStatus } from './live-status';

interface SyncParams {
  begin: (...args: never[]) => void;
  write: (...args: never[]) => void;
  commit: (...args: never[]) => unknown;
}
interface SyncConfig {
  sync: (params: never) => unknown;
}

/**
 * A stream that sent a row failing the schema stays in `error` until good rows are applied again:
 * Electric's client moves on past the bad batch, so the next answers are 200s (and empty
 * up-to-dates) while the row is still missing. A status that went back to `live` at once would
 * hide the bad row between two requests; nobody would ever see it.
 */
export function isDataError(status: LiveStatus): boolean {
  return status.status === 'error' && status.error?.kind === 'sync';
}

/** Clears a data error once the collection commits a synced batch that changed rows. */
export function clearsDataErrorOnCommit<C extends SyncConfig>(sync: C, status: LiveStatus): C {
  const inner = sync.sync as unknown as (params: SyncParams) => unknown;
  return {
    ...sync,
    sync: (params: SyncParams) => {
      let wrote = false;
      return inner({
        ...params,
        begin: (...args: never[]) => {
          wrote = false;
          params.begin(...args);
        },
        write: (...args: never[]) => {
          wrote = true;
          params.write(...args);
        },
        commit: (...args: never[]) => {
          const result = params.commit(...args);
          if (wrote && isDataError(status)) status.set('live');
          return result;
        },
      });
    },
  } as C;
}
