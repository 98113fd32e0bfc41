import type { LocalStore, StoredChange, StreamPosition } from '../sqlite/local-store';
import type { LiveStatus } from './live-status';

/** The parts of a collection's sync config and its parameters that persistence wraps. */
interface SyncParams {
  begin: (...args: never[]) => void;
  write: (message: { type: 'insert' | 'update' | 'delete'; value: Record<string, unknown> }) => void;
  commit: (...args: never[]) => unknown;
  truncate: () => void;
  markReady: () => void;
}
type SyncResult = void | (() => void) | { cleanup?: () => void };
interface SyncConfig {
  sync: (params: never) => SyncResult;
}

/**
 * Puts a local store under a collection's sync: before the stream starts, the stored rows enter the
 * collection as synced rows (ready at once, offline too) and the stream resumes from the stored
 * position; afterwards every batch the stream commits is saved with the position it reached.
 * `shapeOptions` is the object the Electric sync was created with (it reads offset/handle from it
 * when it starts); `position()` is the newest position the stream's responses reported.
 */
export function withLocalStore<C extends SyncConfig>(
  sync: C,
  options: { open: () => Promise<LocalStore>; shapeOptions: object; position: () => StreamPosition | undefined; keyOf: (row: Record<string, unknown>) => string | number; status: LiveStatus },
): C {
  const inner = sync.sync as unknown as (params: SyncParams) => SyncResult;
  const wrapped = (params: SyncParams) => {
    let stopped = false;
    let cleanup: (() => void) | undefined;
    void (async () => {
      try {
        const store = await options.open();
        const { rows, position } = await store.load();
        if (stopped) return;
        if (rows.length) {
          params.begin();
          for (const value of rows) params.write({ type: 'insert', value });
          params.commit();
        }
        // the stored rows are the app's data until the stream says more
        if (rows.length || position) params.markReady();
        if (position) Object.assign(options.shapeOptions, { offset: position.offset, handle: position.handle });
        const pending: StoredChange[] = [];
        let saving: Promise<void> = Promise.resolve();
        const result = inner({
          ...params,
          write: (message) => {
            pending.push(message.type === 'delete' ? { type: 'delete', key: options.keyOf(message.value) } : { type: message.type, value: message.value });
            params.write(message);
          },
          truncate: () => {
            pending.push({ type: 'truncate' });
            params.truncate();
          },
          commit: (...args: never[]) => {
            const applied = params.commit(...args);
            const batch = pending.splice(0);
            const reached = options.position();
            // saves run in commit order; a failure is reported, the in-memory collection goes on
            saving = saving.then(() => store.save(batch, reached)).catch((error: unknown) => options.status.set('error', error));
            return applied;
          },
        });
        cleanup = typeof result === 'function' ? result : result?.cleanup;
        if (stopped) cleanup?.();
      } catch (error) {
        options.status.set('error', error);
      }
    })();
    return () => {
      stopped = true;
      cleanup?.();
    };
  };
  return { ...sync, sync: wrapped as unknown as C['sync'] };
}
