import { isControlMessage, type GetExtensions, type Row, type ShapeStreamOptions } from '@electric-sql/client';
import { electricCollectionOptions } from '@tanstack/electric-db-collection';
import { createCollection } from '@tanstack/react-db';
import type { QueryClient } from '@tanstack/react-query';
import { SyncError } from '../client/sync-error';
import { invalidateTouched } from '../operations/operation-touches';
import type { HeadersInput } from '../client/sync-client';
import type { StandardSchemaV1 } from '../client/validate';
import type { LocalStore, StreamPosition } from '../sqlite/local-store';
import { defaultRetryPolicy, type RetryPolicy } from '../client/retry-policy';
import { memoryOutbox } from '../sqlite/local-store';
import { withLocalStore } from './live-persistence';
import { matchTxids, OutboxWriter, type WriteRequests, type WriterCollection } from './outbox-writer';
import type { SyncRequest, SyncResponse } from '../client/sync-client';
import type { StoredRequest } from '../sqlite/outbox';
import { WriteQueue } from '../writes/write-queue';
import { DataErrorLatch, releasesOnGoodRows } from './sync-health';
import { checksSyncedChanges } from './synced-changes';
import { LiveStatus } from '../status/live-status';
import type { LiveWriteParts } from '../transactions/live-writes';
import { changedFields, conflictPolicy, type ConflictPolicy, type Row as PlainRow } from '../conflicts/conflict-policy';

// the row checks, as the live entry has exported them
export { checkSyncedRow, refuseUndeclaredColumns } from './synced-change-check';

/**
 * What the OpenAPI type of a column promises, so a synced value is converted to it: Electric's
 * client gives int8 as bigint, numeric and timestamps as Postgres text.
 */
export type ColumnKind = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'json';

export interface LiveModelConfig<T extends object, TKey extends string | number> {
  /** Collection id, unique in the app: `<api>/<model>`. */
  id: string;
  /**
   * The shape: the Postgres table and the columns the client keeps. Which rows (the model's
   * `where`, bound per user) is the server's to pin — the shape proxy — never the client's to send.
   */
  table: string;
  columns: readonly string[];
  /**
   * `eager` (default): every row of the shape at start. `on-demand`: the rows each live query asks
   * for, loaded when it runs (Electric's subset snapshots, its where, order and limit), then kept
   * up to date by the stream's changes; with a local store, kept there too.
   */
  syncMode?: 'eager' | 'on-demand';
  /** Where shapes are read: a development shape server or ElectricSQL behind the API's proxy route. */
  shapeUrl: () => string;
  headers?: () => HeadersInput | undefined;
  fetch?: () => typeof fetch | undefined;
  getKey: (row: T) => TKey;
  /** Per column, the kind of value the OpenAPI type promises. */
  kinds: Readonly<Record<string, ColumnKind>>;
  /** Optional columns that cannot be null in the API: Postgres' NULL there means "absent". */
  absentWhenNull?: readonly string[];
  /** Checks every synced change (see checkSyncedChange): a malformed one surfaces as a SyncError instead of entering the store. */
  rowSchema: StandardSchemaV1;
  /** Sends a write's request: the app's client (base URL, auth headers, fetch). Needed with any write. */
  send?: (request: SyncRequest) => Promise<SyncResponse<unknown>>;
  /**
   * The API writes, as the requests they make; each write's answer carries its Postgres txid. The
   * outbox stores the request as made and sends it, with its Idempotency-Key, until it is confirmed.
   */
  insert?: (row: T) => StoredRequest;
  /** `row` is the row as the write leaves it: a full (`PUT`) body is made from it, a `PATCH` sends `changes`. */
  update?: (key: TKey, changes: Partial<T>, row: T) => StoredRequest;
  remove?: (key: TKey) => StoredRequest;
  /** A key the server chooses: the create answer's field that holds it (rows show under draft keys until then). */
  savedKeyField?: string;
  /** The device's store of synced rows (local-first): hydrates the collection and resumes the stream. */
  local?: () => Promise<LocalStore>;
  /** `x-sync.retry`: how server errors are retried (a write that cannot reach the API waits instead). */
  retry?: RetryPolicy;
  /** `x-sync.version` / `x-sync.conflict`: the precondition writes send, and what a 412 leads to. */
  conflict?: ConflictPolicy<T>;
  /**
   * What a write makes stale once the API accepted it: query-key roots (push models embedding this
   * one, cache-mode results that name it) and tags of query operations whose answers hold it.
   */
  invalidates?: { queryClient: QueryClient; keys: readonly (readonly unknown[])[]; tags?: readonly string[] };
}

/**
 * A TanStack DB collection synced from a shape with `@tanstack/electric-db-collection`. Writes go
 * through the API and stay optimistic until their txid arrives in the stream (rolled back if the
 * API refuses them); the stream's health is tracked in `status`.
 */
export function createLiveCollection<T extends object, TKey extends string | number>(
  config: LiveModelConfig<T, TKey>,
  status = new LiveStatus(config.id),
) {
  // One wrapper for the stream's requests: the client's headers (fresh auth per request) and the
  // stream's health, which Electric's client keeps to itself while it retries.
  let position: StreamPosition | undefined;
  const badRows = new DataErrorLatch();
  const trackingFetch: typeof fetch = async (input, init) => {
    const doFetch = config.fetch?.() ?? globalThis.fetch;
    const input_ = config.headers?.();
    const extra = typeof input_ === 'function' ? await input_() : (input_ ?? {});
    if (!status.error && status.status !== 'live') status.set('connecting');
    try {
      const response = await doFetch(input, {
        ...init,
        headers: {
          ...Object.fromEntries(new Headers(init?.headers).entries()),
          ...extra,
        },
      });
      if (response.ok) {
        badRows.answered(status);
        const handle = response.headers.get('electric-handle');
        const offset = response.headers.get('electric-offset');
        if (handle && offset) position = { handle, offset };
      } else if (response.status >= 500 || response.status === 429)
        status.set(
          'offline',
          new SyncError({
            kind: 'http',
            status: response.status,
            message: `shape request failed with ${response.status}`,
          }),
        );
      return response;
    } catch (error) {
      if ((error as Error)?.name !== 'AbortError')
        status.set(
          'offline',
          new SyncError({
            kind: 'network',
            message: `the shape stream cannot reach ${config.shapeUrl()}: ${(error as Error).message}`,
            cause: error,
          }),
        );
      throw error;
    }
  };
  // Stops the stream without cleaning the collection up under live queries that still read it
  const stopper = new AbortController();
  // one store per collection, however many parts ask for it
  let opened: Promise<LocalStore> | undefined;
  const local = config.local && (() => (opened ??= config.local!()));
  /** The API accepted the writes: their txids to wait for; results that depend on the model go stale. */
  const accepted = (txids: (number | undefined)[]) => {
    const stale = config.invalidates;
    if (stale) void invalidateTouched(stale.queryClient, { roots: stale.keys, live: [], tags: stale.tags ?? [] });
    return matchTxids(txids);
  };
  const queue = new WriteQueue(status, config.retry ?? defaultRetryPolicy);
  const saves: { flushed?: () => Promise<void> } = {};
  const writes = new OutboxWriter<TKey>({
    open: local ?? (async () => memoryOutbox()),
    queue,
    status,
    send: (request) => {
      if (!config.send)
        throw new SyncError({ kind: 'validation', message: `${config.id}: a write needs the config's send` });
      return config.send(request);
    },
    requests: config as WriteRequests<TKey>,
    savedKeyField: config.savedKeyField,
    flushed: () => saves.flushed?.() ?? Promise.resolve(),
    ...(config.conflict ? { conflict: conflictPolicy(config.conflict) } : {}),
    keyOf: (row) => config.getKey(row as T),
  });
  /** An update's changes as sent: field-merge sends only the fields it changed from its base. */
  const sentChanges = (base: PlainRow, changes: PlainRow) =>
    config.conflict?.strategy === 'field-merge' ? changedFields(base, changes) : changes;
  const shapeOptions: ShapeStreamOptions<GetExtensions<T & Row<unknown>>> = {
    url: config.shapeUrl(),
    params: {
      table: config.table,
      columns: [...config.columns],
      // local-first: a stream resumed from the stored position meets updates of rows not in the
      // collection yet (they are still in SQLite only); with the whole row in every update
      // Electric's collection takes them instead of demanding a full snapshot again
      ...(config.local ? { replica: 'full' as const } : {}),
    },
    fetchClient: trackingFetch,
    signal: stopper.signal,
    // values only: each change is checked where its operation is known (see checksSyncedChanges)
    transformer: (row) => convertRow(row, config.kinds, config.absentWhenNull) as never,
    onError: (error: unknown) => {
      badRows.hold(error);
      status.set('error', error);
      return {}; // keep syncing: the next answer clears the error
    },
  };
  /** A refused change: left out, and the stream in error until good rows apply (see DataErrorLatch). */
  const refuse = (error: unknown) => {
    badRows.hold(error);
    status.set('error', error);
  };
  const options = electricCollectionOptions<T & Row<unknown>>({
    id: config.id,
    syncMode: config.syncMode ?? 'eager',
    getKey: (row) => config.getKey(row),
    shapeOptions,
    onInsert:
      config.insert &&
      (async ({ transaction }) =>
        accepted(
          await Promise.all(
            transaction.mutations.map((m) =>
              writes.write(
                'insert',
                m.key as TKey,
                m.modified as Record<string, unknown>,
                config.insert!(m.modified as T),
              ),
            ),
          ),
        )),
    onUpdate:
      config.update &&
      (async ({ transaction }) =>
        accepted(
          await Promise.all(
            transaction.mutations.map((m) => {
              const base = m.original as PlainRow;
              const changes = sentChanges(base, m.changes as PlainRow);
              return writes.write(
                'update',
                m.key as TKey,
                changes,
                config.update!(m.key as TKey, changes as Partial<T>, m.modified as T),
                base,
              );
            }),
          ),
        )),
    onDelete:
      config.remove &&
      (async ({ transaction }) =>
        accepted(
          await Promise.all(
            transaction.mutations.map((m) =>
              writes.write('delete', m.key as TKey, null, config.remove!(m.key as TKey), m.original as PlainRow),
            ),
          ),
        )),
  });
  // every change checked first, so a refused one reaches neither the collection nor the local store
  const checked = releasesOnGoodRows(
    checksSyncedChanges(options.sync, {
      model: config,
      keyOf: (row) => config.getKey(row as T),
      partialWithoutRow: Boolean(local),
      refuse,
    }),
    status,
    badRows,
  );
  // local-first: the device's stored rows under the stream, each live query answered from them
  // first (TanStack DB's on-demand mode; see live-persistence)
  const collection = createCollection(
    local
      ? {
          ...options,
          syncMode: 'on-demand' as const,
          sync: withLocalStore(checked, {
            open: local,
            shapeOptions,
            position: () => position,
            keyOf: (row) => config.getKey(row as T),
            status,
            onConfirmed: (seqs) => writes.confirmed(seqs),
            saves,
          }),
        }
      : { ...options, sync: checked },
  );
  // writes a previous run of the app left unconfirmed: sent again or awaited, and shown meanwhile
  const reportError = (error: unknown) => status.set('error', error);
  void writes.start(collection as unknown as WriterCollection<TKey>).catch(reportError);
  return {
    collection,
    status,
    awaitTxId: (txid: number, timeoutMs: number) => collection.utils.awaitTxId(txid, timeoutMs),
    // control messages are not kept for matching: only an up-to-date that arrives after now matches
    awaitNextSync: (timeoutMs: number) =>
      collection.utils.awaitMatch(
        (message) => isControlMessage(message) && message.headers.control === 'up-to-date',
        timeoutMs,
      ),
    /** What a transaction's writes of this model use: the collection and the requests its writes make. */
    writes: {
      collection: collection as unknown as LiveWriteParts['collection'],
      send: config.send,
      insert: config.insert,
      update: config.update,
      remove: config.remove,
      conflict: config.conflict && conflictPolicy(config.conflict),
    } as LiveWriteParts,
    stop: () => {
      stopper.abort();
      queue.stop();
      writes.stop();
    },
  };
}

export type LiveCollection<T extends object> = ReturnType<
  typeof createLiveCollection<T, string | number>
>['collection'];

/** Electric's values → the JSON the API would have sent for the same row. */
export function convertRow(
  row: Record<string, unknown>,
  kinds: Readonly<Record<string, ColumnKind>>,
  absentWhenNull: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  // Electric sends every column; the API leaves an unset optional field out, and its type says so
  for (const column of absentWhenNull) if (out[column] === null) delete out[column];
  for (const [column, kind] of Object.entries(kinds)) {
    const value = out[column];
    if (value === null || value === undefined) continue;
    if ((kind === 'integer' || kind === 'number') && (typeof value === 'bigint' || typeof value === 'string'))
      out[column] = Number(value);
    else if (kind === 'date-time' && typeof value === 'string') out[column] = isoTimestamp(value);
    else if (kind === 'json' && typeof value === 'string') out[column] = parseJson(value);
  }
  return out;
}

/** `2026-03-04 05:06:07.5+00` (Postgres, ISO style) → `2026-03-04T05:06:07.500Z`. */
function isoTimestamp(value: string): string {
  const normalized = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** Not JSON: left as text for the row check to refuse (a throw here would drop the whole answer). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
