import type { LiveStatus } from './live-status';

interface SyncParams {
  begin: (...args: never[]) => void;
  write: (...args: never[]) => void;
  commit: (...args: never[]) => unknown;
}
interface SyncConfig {
  sync: (params: never) => unknown;
}

/** Errors `checkSyncedRow` throws for a row that fails the schema (and only those). */
const malformedRows = new WeakSet<object>();

export function markMalformedRow<E extends object>(error: E): E {
  malformedRows.add(error);
  return error;
}

/**
 * Holds a stream's bad-row error until good rows are applied again. Electric's client moves on past
 * the bad batch, so the next answers are 200s (and empty up-to-dates) while the row is still missing:
 * a status that went back to `live` at once would hide the bad row between two requests, and an
 * offline spell in between must not clear it either. Other errors (a 401, a store failure) clear on
 * the next good answer, as before.
 */
export class DataErrorLatch {
  private held: unknown;

  /** Whether `error` is a bad row: then it is held. */
  hold(error: unknown): boolean {
    if (typeof error !== 'object' || error === null || !malformedRows.has(error)) return false;
    this.held = error;
    return true;
  }

  /** The status a good answer leads to: `error` while a bad row is held, else `live`. */
  answered(status: LiveStatus): void {
    if (this.held !== undefined) status.set('error', this.held);
    else status.set('live');
  }

  /** Good rows were applied: the stream is healthy again. */
  release(status: LiveStatus): void {
    if (this.held === undefined) return;
    this.held = undefined;
    status.set('live');
  }
}

/** Releases the latch once the collection commits a synced batch that changed rows. */
export function releasesOnGoodRows<C extends SyncConfig>(sync: C, status: LiveStatus, latch: DataErrorLatch): C {
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
          if (wrote) latch.release(status);
          return result;
        },
      });
    },
  } as C;
}
