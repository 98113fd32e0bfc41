import type { QueryClient } from '@tanstack/react-query';
import { createTransaction } from '@tanstack/react-db';
import { pickFields } from '../client/request-helpers';
import type { StoredRequest } from '../sqlite/outbox';
import type { SyncRequest, SyncResponse } from '../client/sync-client';
import type { OperationTouches } from '../operations/operation-touches';
import type { LiveShow, TransactionWrite } from './transaction-write';
import type { ModelWrites } from './push-writes';
import { ifMatchOf, type ConflictPolicy, type Row } from '../conflicts/conflict-policy';

/** A request with the version of the row it was based on as If-Match, when the model asks for one. */
function withIfMatch(
  request: StoredRequest,
  policy: ConflictPolicy<Row> | undefined,
  op: 'update' | 'delete',
  base: Row | undefined,
): SyncRequest {
  const ifMatch = ifMatchOf(policy, op, base);
  return ifMatch ? { ...request, headers: { 'if-match': ifMatch } } : request;
}

/** What a live model's collection offers a transaction (createLiveCollection's `writes`). */
export interface LiveWriteParts {
  collection: {
    get(key: string | number): object | undefined;
    insert(row: object): unknown;
    update(key: string | number, change: (draft: Record<string, unknown>) => void): unknown;
    delete(key: string | number): unknown;
  };
  send?: (request: SyncRequest) => Promise<SyncResponse<unknown>>;
  insert?: (row: never) => StoredRequest;
  update?: (key: never, changes: never, row: never) => StoredRequest;
  remove?: (key: never) => StoredRequest;
  /** x-sync.version / x-sync.conflict: the version a write sends as If-Match. */
  conflict?: ConflictPolicy<Row>;
}

export interface LiveWritesConfig<TRow, TCreate, TPatch> {
  model: string;
  /** The model's parts in the app's live scope (its collection, made on first use). */
  open: (queryClient: QueryClient) => LiveWriteParts;
  keyOf: (row: TRow) => string | number;
  /** Validates a create input and makes the row shown until the server's arrives. */
  rowFromInput?: (input: TCreate) => Promise<TRow>;
  validatePatch?: (patch: TPatch) => Promise<TPatch>;
  touches: OperationTouches;
}

const transaction = createTransaction as unknown as LiveShow['transaction'];

/**
 * A live model's create, update and delete as writes of a transaction: shown on its collection in
 * the transaction's one TanStack DB transaction, settled when their txids arrive, undone (a
 * create by deleting the row, an update by patching back the fields it changed) when a later
 * write fails. They are requests of the transaction, not entries of the model's outbox.
 */
export function liveModelWrites<TRow extends object, TId extends string | number, TCreate, TPatch>(
  config: LiveWritesConfig<TRow, TCreate, TPatch>,
): Partial<ModelWrites<TRow, TId, TCreate, TPatch>> {
  const request = <A extends unknown[]>(made: ((...args: never[]) => StoredRequest) | undefined, ...args: A) =>
    (made as unknown as (...a: A) => StoredRequest)(...args);
  const parts = (qc: QueryClient) => {
    const opened = config.open(qc);
    if (!opened.send) throw new Error(`${config.model}: its collection has no write operations`);
    return { ...opened, send: opened.send as (request: SyncRequest) => Promise<SyncResponse<never>> };
  };
  return {
    create:
      (input: TCreate): TransactionWrite<TRow> =>
      async (qc) => {
        const { collection, send, insert, remove } = parts(qc);
        const row = await config.rowFromInput!(input);
        const key = config.keyOf(row);
        return {
          label: `create ${config.model}`,
          send,
          request: request(insert, row),
          show: { live: { apply: () => void collection.insert(row), transaction } },
          touches: config.touches,
          undo: () => (remove ? request(remove, key) : undefined),
        };
      },
    update:
      (id: TId, raw: TPatch): TransactionWrite<TRow> =>
      async (qc) => {
        const { collection, send, update, conflict } = parts(qc);
        const patch = config.validatePatch ? await config.validatePatch(raw) : raw;
        const before = collection.get(id) as Record<string, unknown> | undefined;
        const made = request(update, id, patch, { ...before, ...patch });
        return {
          label: `update ${config.model} ${String(id)}`,
          send,
          request: withIfMatch(made, conflict, 'update', before),
          row: { id: `${config.model} ${String(id)}`, base: before ?? null },
          show: {
            live: { apply: () => void collection.update(id, (draft) => void Object.assign(draft, patch)), transaction },
          },
          touches: config.touches,
          undo: () =>
            made.method === 'PATCH' && before
              ? request(update, id, pickFields(before, Object.keys(patch as object)), before)
              : undefined,
        };
      },
    remove:
      (id: TId): TransactionWrite<unknown> =>
      async (qc) => {
        const { collection, send, remove, conflict } = parts(qc);
        const before = collection.get(id) as Record<string, unknown> | undefined;
        return {
          label: `delete ${config.model} ${String(id)}`,
          send,
          request: withIfMatch(request(remove, id), conflict, 'delete', before),
          row: { id: `${config.model} ${String(id)}`, base: before ?? null },
          show: { live: { apply: () => void collection.delete(id), transaction } },
          touches: config.touches,
        };
      },
  };
}
