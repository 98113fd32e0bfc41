import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveWaiters } from './live-waiters';
import type { ReadCache } from './read-cache';
import type { ShapeDefinition } from './shape-definition';
import type { ShapeRegistry, StoredShape } from './shape-registry';
import type { ShapeRequest } from './shape-request';
import { CACHE_CONTROL, sendJson, type CacheAges } from './shape-responses';
import type { ShapeSource } from './source';
import { quoteIdent } from './sql-identifiers';
import { electricSchema } from './table-schema';

/** What serving one request needs, passed to the parts that answer subsets and SSE. */
export interface ServeContext {
  source: ShapeSource;
  registry: ShapeRegistry;
  waiters: LiveWaiters;
  /** Reads of the log shared by requests that ask the same while the table has not changed. */
  cache: ReadCache;
  options: {
    liveTimeoutMs: number;
    sseTimeoutMs: number;
    sseKeepAliveMs: number;
    chunkBytes: number;
    cacheAges: CacheAges;
  };
  request: IncomingMessage;
  response: ServerResponse;
  aborted: AbortSignal;
  shape: ShapeDefinition;
  shapeRequest: ShapeRequest;
}

/** The offset that stands for "after log entry `last`" in this shape: `0_<last chunk>` before any change. */
export function offsetAfter(stored: StoredShape, last: bigint): string {
  return last <= stored.snapshotLast ? `0_${stored.chunks - 1}` : `${last}_0`;
}

export function tableKey(shape: ShapeDefinition): string {
  return `${shape.table.name.schema}.${shape.table.name.table}`;
}

/** The log's last entry now. */
export async function logEnd(source: ShapeSource, logSchema: string): Promise<bigint> {
  const [row] = await source.query<{ id: string }>(
    `SELECT coalesce(max(id), 0)::text AS id FROM ${quoteIdent(logSchema)}.sync_changes`,
  );
  return BigInt(row.id);
}

/** 409 must-refetch, naming the shape's current handle (made now if there is none). */
export async function mustRefetch(context: ServeContext): Promise<void> {
  const current = await context.registry.open(context.shape);
  sendJson(context.request, context.response, 409, JSON.stringify([{ headers: { control: 'must-refetch' } }]), {
    'electric-handle': current.handle,
    'cache-control': CACHE_CONTROL.mustRefetch(context.options.cacheAges),
    etag: `"${current.handle}::"`,
  });
}

export function schemaHeader(shape: ShapeDefinition): string {
  return electricSchema(shape.table.columns.filter((c) => shape.columns.includes(c.name)));
}

/** The up-to-date control message, with the log position a client resumes from after SSE. */
export function upToDate(last: bigint) {
  return { headers: { control: 'up-to-date' as const, global_last_seen_lsn: last.toString() } };
}

export function cursorOf(request: IncomingMessage): string | null {
  return new URL(request.url ?? '/', 'http://localhost').searchParams.get('cursor');
}
