import { checkSyncedChange, type SyncedModel, type SyncedOperation } from './synced-change-check';

type Key = string | number;
type Row = Record<string, unknown>;

/** A change as Electric's collection writes it: its headers in `metadata`; a move-out's delete has only the key. */
interface SyncWrite {
  type: SyncedOperation;
  value?: Row;
  key?: Key;
  metadata?: Record<string, unknown>;
}
interface SyncParams {
  collection: unknown;
  write: (message: SyncWrite) => void;
}
interface SyncConfig {
  sync: (params: never) => unknown;
}
/** The part of TanStack DB's collection state an update is merged into (internal, hence optional). */
interface SyncedState {
  getAcceptedSyncedRow?: (key: Key) => Row | undefined;
  syncedData?: { get: (key: Key) => Row | undefined };
}

/**
 * Checks every change Electric's collection sync writes, before the collection or a local store
 * (wrapped around this) sees it; a refused one goes to `refuse` and is left out, the others apply.
 *
 * Here rather than in the shape stream's `transformer`: the transformer sees a row without its
 * operation, and an update without the row it changes. At this point both are known — the change's
 * headers (its operation as Electric sent it) are its metadata, and the collection holds the
 * synced row an update merges into.
 */
export function checksSyncedChanges<C extends SyncConfig>(
  sync: C,
  options: {
    model: SyncedModel;
    keyOf: (row: Row) => Key;
    /** A local store holds rows the collection does not show yet: an update of one may be partial (see checkSyncedChange). */
    partialWithoutRow: boolean;
    refuse: (error: unknown) => void;
  },
): C {
  const inner = sync.sync as unknown as (params: SyncParams) => unknown;
  const wrapped = (params: SyncParams) =>
    inner({
      ...params,
      write: (message) => {
        if (message.value === undefined) return params.write(message);
        const operation = operationOf(message);
        const row = () => syncedRow(params.collection, options.keyOf(message.value!));
        try {
          checkSyncedChange(
            options.model,
            operation,
            message.value,
            operation === 'update' ? row() : undefined,
            options.partialWithoutRow,
          );
        } catch (error) {
          options.refuse(error);
          return;
        }
        // Electric makes an insert of a key it saw before an update; if that earlier insert was
        // refused the collection has no such row, and a local store would update nothing
        if (operation === 'insert' && message.type === 'update' && !row()) params.write({ ...message, type: 'insert' });
        else params.write(message);
      },
    });
  return { ...sync, sync: wrapped as unknown as C['sync'] };
}

/** The operation the server sent (Electric's collection may write a repeated insert as an update); a row that moves into the shape is an insert. */
function operationOf(message: SyncWrite): SyncedOperation {
  const sent = message.metadata?.['operation'];
  if (sent === 'delete' || message.type === 'delete') return 'delete';
  return sent === 'update' || (sent === undefined && message.type === 'update') ? 'update' : 'insert';
}

/** The synced row an update merges into: TanStack DB's, with sync transactions it accepted but has not shown yet. */
function syncedRow(collection: unknown, key: Key): Row | undefined {
  const state = (collection as { _state?: SyncedState } | undefined)?._state;
  return state?.getAcceptedSyncedRow ? state.getAcceptedSyncedRow(key) : state?.syncedData?.get(key);
}
