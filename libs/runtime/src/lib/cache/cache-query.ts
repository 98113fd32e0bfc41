import { hashKey, type QueryFunctionContext, type QueryKey } from '@tanstack/react-query';
import type { HeaderMap, SyncResponse } from '../client/sync-client';
import { SyncError, toSyncError } from '../client/sync-error';
import type { CacheStorage } from './cache-storage';
import { statusOf, type QueryResultLike, type SyncQueryResult } from '../status/sync-status';

/**
 * Cache mode: pre-computed results (a metrics or report endpoint) kept fresh for `ttl`, revalidated
 * with the server's validators (ETag, Last-Modified) so an unchanged result costs a 304 and no
 * re-render, and kept in a storage that survives a reload.
 */

/** One cached answer, as TanStack Query holds it and the storage keeps it. */
export interface CachedResult<T> {
  data: T;
  etag?: string;
  lastModified?: string;
  /** When the content last changed here (ms since epoch); a 304 keeps it. */
  updatedAt: number;
  /** Fresh until then: `ttl`, or the server's Cache-Control max-age when it sends one. */
  expiresAt: number;
}

const STORAGE_PREFIX = 'sync-patterns:cache:';

/** Freshness the server asks for: Cache-Control no-cache/no-store/max-age, else the model's ttl. */
export function freshnessMs(response: Response, ttlSeconds: number): number {
  const control = response.headers.get('cache-control') ?? '';
  if (/(^|,)\s*(no-cache|no-store)\s*(,|$)/i.test(control)) return 0;
  const maxAge = /(^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(control);
  if (maxAge) return Number(maxAge[2]) * 1000;
  return ttlSeconds * 1000;
}

/** Sends the request, conditional on what is cached: the fetcher adds these headers. */
export type CacheFetcher<T> = (request: {
  headers: HeaderMap;
  signal: AbortSignal;
}) => Promise<SyncResponse<T | undefined>>;

/**
 * The query function of a cache-mode query: answers from the storage after a reload while still
 * fresh, otherwise asks the server — conditionally when it has a validator — and keeps the answer.
 * A 304 returns the cached content unchanged (same `data`, same `updatedAt`), so nothing re-renders.
 */
export function cacheQueryFn<T>(
  settings: () => { ttlSeconds: number; storage: CacheStorage | undefined },
  fetcher: CacheFetcher<T>,
) {
  return async (context: QueryFunctionContext): Promise<CachedResult<T>> => {
    const { ttlSeconds, storage } = settings();
    const storageKey = STORAGE_PREFIX + hashKey(context.queryKey);
    let previous = context.client.getQueryData<CachedResult<T>>(context.queryKey);
    if (!previous && storage) {
      previous = await readStored<T>(storage, storageKey);
      if (previous && previous.expiresAt > Date.now()) return previous;
    }
    const headers: HeaderMap = {};
    if (previous?.etag) headers['if-none-match'] = previous.etag;
    else if (previous?.lastModified) headers['if-modified-since'] = previous.lastModified;
    const { data, response } = await fetcher({ headers, signal: context.signal });
    const now = Date.now();
    const expiresAt = now + freshnessMs(response, ttlSeconds);
    let result: CachedResult<T>;
    if (response.status === 304) {
      if (!previous)
        throw new SyncError({
          kind: 'http',
          status: 304,
          message: 'the server answered 304 Not Modified to a request that had nothing cached',
        });
      result = { ...previous, expiresAt };
    } else {
      result = { data: data as T, updatedAt: now, expiresAt, ...validators(response) };
    }
    if (storage) await writeStored(storage, storageKey, result);
    return result;
  };
}

function validators(response: Response): Pick<CachedResult<unknown>, 'etag' | 'lastModified'> {
  const etag = response.headers.get('etag');
  const lastModified = response.headers.get('last-modified');
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

async function readStored<T>(storage: CacheStorage, key: string): Promise<CachedResult<T> | undefined> {
  try {
    const text = await storage.getItem(key);
    const value = text ? (JSON.parse(text) as CachedResult<T>) : undefined;
    return value && typeof value.updatedAt === 'number' && typeof value.expiresAt === 'number' ? value : undefined;
  } catch {
    return undefined; // unreadable storage is an empty cache, not an error
  }
}

async function writeStored(storage: CacheStorage, key: string, value: CachedResult<unknown>): Promise<void> {
  try {
    await storage.setItem(key, JSON.stringify(value));
  } catch {
    // full or unavailable storage: the result is still in memory
  }
}

/**
 * TanStack Query timing of a cache-mode query: fresh until `expiresAt`, refreshed in the
 * background when it passes while the query is in use (at least every `ttl`).
 */
export function cacheTiming(ttlSeconds: number) {
  // typed by structure, so it fits the Query of any result and key type
  const remaining = (query: CachedQueryLike) => Math.max(0, (query.state.data?.expiresAt ?? 0) - Date.now());
  return {
    staleTime: remaining,
    refetchInterval: (query: CachedQueryLike) =>
      query.state.data ? Math.max(remaining(query), ttlSeconds * 1000) : false,
    gcTime: Math.max(5 * 60_000, ttlSeconds * 2000),
  } as const;
}

interface CachedQueryLike {
  state: { data?: { expiresAt: number } | undefined };
}

/** What a cache hook's `select` keeps: the rows and when they last changed (not expiresAt, so a 304 re-renders nothing). */
export interface CacheView<R> {
  rows: R;
  updatedAt: number;
}

export function cacheView<T, R>(pick: (data: T) => R) {
  return (result: CachedResult<T>): CacheView<R> => ({ rows: pick(result.data), updatedAt: result.updatedAt });
}

/** A cache hook re-renders for these only: a background revalidation (fetching, 304) is invisible. */
export const CACHE_NOTIFY_PROPS = ['data', 'error', 'status', 'isPaused'] as const;

/** The unified result, plus what cache mode adds: staleness, when the content changed, a refresh. */
export interface CacheQueryResult<T> extends SyncQueryResult<T> {
  isStale: boolean;
  updatedAt: number | undefined;
  refresh: () => Promise<unknown>;
}

export function toCacheResult<R>(
  query: QueryResultLike<CacheView<R>> & { isStale: boolean },
  queryKey: QueryKey,
): CacheQueryResult<R> {
  return {
    data: query.data?.rows,
    isLoading: query.isLoading,
    error: query.error ? toSyncError(query.error) : null,
    status: statusOf(query),
    queryKey,
    refetch: query.refetch,
    isStale: query.isStale,
    updatedAt: query.data?.updatedAt,
    refresh: query.refetch,
  };
}
