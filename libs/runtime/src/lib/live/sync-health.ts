import type { LiveStatus } from '../status/live-status';

interface SyncParams {
  begin: (...args: never[]) => void;
  write: (...args: never[]) => void;
  commit: (...args: never[]) => unknown;
}
interface SyncConfig {
  sync: (params: never) => unknown;
}

/** Errors the synced-change checks throw for a change they refuse (and only those). */
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
  private count = 0;

  /** Whether `error` is a bad row: then it is held. */
  hold(error: unknown): boolean {
    if (typeof error !== 'object' || error === null || !malformedRows.has(error)) return false;
    this.held = error;
    this.count++;
    return true;
  }

  /** How many bad rows were held so far: a batch that refused one does not release the latch with its own good rows. */
  get holds(): number {
    return this.count;
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

/** Releases the latch once the collection commits a synced batch that changed rows and refused none. */
export function releasesOnGoodRows<C extends SyncConfig>(sync: C, status: LiveStatus, latch: DataErrorLatch): C {
  const inner = sync.sync as unknown as (params: SyncParams) => unknown;
  return {
    ...sync,
    sync: (params: SyncParams) => {
      let wrote = false;
      let holds = latch.holds;
      return inner({
        ...params,
        begin: (...args: never[]) => {
          wrote = false;
          holds = latch.holds;
          params.begin(...args);
        },
        write: (...args: never[]) => {
          wrote = true;
          params.write(...args);
        },
        commit: (...args: never[]) => {
          const result = params.commit(...args);
          if (wrote && latch.holds === holds) latch.release(status);
          return result;
        },
      });
    },
  } as C;
}
