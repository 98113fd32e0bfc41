import type { Row } from '@electric-sql/client';
import { electricCollectionOptions } from '@tanstack/electric-db-collection';
import { createCollection } from '@tanstack/react-db';
import { SyncError } from '../sync-error';
import type { HeadersInput } from '../sync-client';
import type { StandardSchemaV1 } from '../validate';
import { LiveStatus } from './live-status';

/**
 * What the OpenAPI type of a column promises, so a synced value is converted to it: Electric's
 * client gives int8 as bigint, numeric and timestamps as Postgres text.
 */
export type ColumnKind = 'string' | 'integer' | 'number' | 'boolean' | 'date-time' | 'json';

export interface LiveModelConfig<T extends object, TKey extends string | number> {
  /** Collection id, unique in the app: `<api>/<model>`. */
  id: string;
  /** The shape: Postgres table, optional where clause, the columns the client keeps. */
  table: string;
  where?: string;
  columns: readonly string[];
  /** Where shapes are read: a development shape server or ElectricSQL behind the API's proxy route. */
  shapeUrl: () => string;
  headers?: () => HeadersInput | undefined;
  fetch?: () => typeof fetch | undefined;
  getKey: (row: T) => TKey;
  /** Per column, the kind of value the OpenAPI type promises. */
  kinds: Record<string, ColumnKind>;
  /** Checks every synced row: a malformed one surfaces as a SyncError instead of entering the store. */
  rowSchema: StandardSchemaV1;
  /** The API writes; each answers the write's Postgres txid. */
  insert?: (row: T) => Promise<number>;
  update?: (key: TKey, changes: Partial<T>) => Promise<number>;
  remove?: (key: TKey) => Promise<number>;
}

/**
 * A TanStack DB collection synced from a shape with `@tanstack/electric-db-collection`. Writes go
 * through the API and stay optimistic until their txid arrives in the stream (rolled back if the
 * API refuses them); the stream's health is tracked in `status`.
 */
export function createLiveCollection<T extends object, TKey extends string | number>(config: LiveModelConfig<T, TKey>, status = new LiveStatus(config.id)) {
  // One wrapper for the stream's requests: the client's headers (fresh auth per request) and the
  // stream's health, which Electric's client keeps to itself while it retries.
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
      if (response.ok) status.set('live');
      else if (response.status >= 500 || response.status === 429)
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
  const options = electricCollectionOptions<T & Row<unknown>>({
    id: config.id,
    getKey: (row) => config.getKey(row),
    shapeOptions: {
      url: config.shapeUrl(),
      params: {
        table: config.table,
        ...(config.where ? { where: config.where } : {}),
        columns: [...config.columns],
      },
      fetchClient: trackingFetch,
      signal: stopper.signal,
      transformer: (row) => checkSyncedRow(config, convertRow(row, config.kinds)) as never,
      onError: (error) => {
        status.set('error', error);
        return {}; // keep syncing: the next answer clears the error
      },
    },
    onInsert:
      config.insert &&
      (async ({ transaction }) => ({
        txid: await Promise.all(transaction.mutations.map((m) => config.insert!(m.modified as T))),
      })),
    onUpdate:
      config.update &&
      (async ({ transaction }) => ({
        txid: await Promise.all(transaction.mutations.map((m) => config.update!(m.key as TKey, m.changes as Partial<T>))),
      })),
    onDelete:
      config.remove &&
      (async ({ transaction }) => ({
        txid: await Promise.all(transaction.mutations.map((m) => config.remove!(m.key as TKey))),
      })),
  });
  const collection = createCollection(options);
  return { collection, status, stop: () => stopper.abort() };
}

export type LiveCollection<T extends object> = ReturnType<typeof createLiveCollection<T, string | number>>['collection'];

/** Electric's values → the JSON the API would have sent for the same row. */
export function convertRow(row: Record<string, unknown>, kinds: Record<string, ColumnKind>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  for (const [column, kind] of Object.entries(kinds)) {
    const value = out[column];
    if (value === null || value === undefined) continue;
    if ((kind === 'integer' || kind === 'number') && (typeof value === 'bigint' || typeof value === 'string')) out[column] = Number(value);
    else if (kind === 'date-time' && typeof value === 'string') out[column] = isoTimestamp(value);
    else if (kind === 'json' && typeof value === 'string') out[column] = JSON.parse(value);
  }
  return out;
}

/** `2026-03-04 05:06:07.5+00` (Postgres, ISO style) → `2026-03-04T05:06:07.500Z`. */
function isoTimestamp(value: string): string {
  const normalized = value.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00');
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/**
 * Synced rows are validated as written rows are; the stream reports a bad one instead of storing it.
 * Only whole rows can be checked: deletes carry just the key, and Electric's updates only the
 * changed columns, which the collection merges into a row that was checked when it arrived.
 */
export function checkSyncedRow(
  config: {
    id: string;
    columns: readonly string[];
    rowSchema: StandardSchemaV1;
  },
  row: Record<string, unknown>,
): Record<string, unknown> {
  if (!config.columns.every((column) => column in row)) return row;
  const result = config.rowSchema['~standard'].validate(row);
  if (result instanceof Promise) return row; // async validators cannot run inside the stream's parser
  if (result.issues) {
    const detail = result.issues.map((i) => i.message).join('; ');
    throw new SyncError({
      kind: 'sync',
      message: `${config.id}: the sync stream sent a row that does not match the schema (${detail})`,
      body: row,
    });
  }
  return row;
}
