import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_LOG_SCHEMA, NOTIFY_CHANNEL } from './change-capture';
import { deleteShapes } from './delete-shapes';
import { LiveWaiters } from './live-waiters';
import { ReadCache } from './read-cache';
import {
  cursorOf,
  logEnd,
  mustRefetch,
  offsetAfter,
  schemaHeader,
  tableKey,
  upToDate,
  type ServeContext,
} from './serve-context';
import { defineShape } from './shape-definition';
import { changesAfter, type LogRead } from './shape-log';
import { ShapeRegistry, type StoredShape } from './shape-registry';
import { BadRequest, parseShapeRequest, type ShapeRequest } from './shape-request';
import {
  BodyError,
  CACHE_CONTROL,
  cors,
  etagOf,
  invalidRequest,
  liveCursor,
  notModified,
  readJsonBody,
  sendJson,
} from './shape-responses';
import { serveSse } from './sse';
import { serveSubset } from './subset';
import type { ShapeSource } from './source';
import { WhereClauseError } from './where-clause';

export interface ShapeHandlerOptions {
  source: ShapeSource;
  /** The schema `installChangeCapture` put the change log in; default `sync_patterns`. */
  logSchema?: string;
  /** The schema of a `table` named without one; Electric's is `public`. */
  defaultSchema?: string;
  /** How long a live request waits for a change before answering up-to-date alone (Electric: 20 s). */
  liveTimeoutMs?: number;
  /** How long an SSE connection stays open (Electric: 60 s); a comment keeps it alive meanwhile. */
  sseTimeoutMs?: number;
  /** Silence after which an SSE connection gets a keep-alive comment (Electric: 21 s). */
  sseKeepAliveMs?: number;
  /** A snapshot is served in chunks of about this many bytes (Electric: 10 MiB). */
  chunkBytes?: number;
  /** Seconds a CDN may keep a catch-up answer (Electric's ELECTRIC_CACHE_MAX_AGE: 60). */
  cacheMaxAge?: number;
  /** Seconds it may serve one stale while it revalidates (ELECTRIC_CACHE_STALE_AGE: 300). */
  cacheStaleAge?: number;
  /**
   * How long what was read of a table (its schema, which shapes are current, a read of its log) is
   * trusted when no write to it comes (default 5 s): an ALTER or DROP that no write follows is seen
   * this late (Electric checks schemas every 60 s).
   */
  schemaCheckMs?: number;
  /** Whether `DELETE /v1/shape` ends shapes (default true: this is a development server). */
  allowShapeDeletion?: boolean;
  /** Origins allowed to read shapes from a browser; default any (`*`). */
  corsOrigins?: string[] | '*';
  /**
   * Electric's `ELECTRIC_SECRET`: when set, a request without it (`secret`, or the older
   * `api_secret`) gets 401 — only the shape proxy, which adds it, reads shapes.
   */
  secret?: string;
}

export interface ShapeHandler {
  /**
   * Serves one request. `body`: a POST's body when the server in front has already read it
   * (Fastify, Express with a JSON parser); else it is read from the request.
   */
  (request: IncomingMessage, response: ServerResponse, body?: unknown): Promise<void>;
  /** Starts listening for changes; call once before serving. */
  start(): Promise<void>;
  /** Stops listening and answers the waiting live requests. */
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

/**
 * Electric's `/v1/shape` (GET, HEAD, and POST for subset snapshots) as a Node request handler,
 * mountable in any server or run alone (`startShapeServer`).
 */
export function createShapeHandler(options: ShapeHandlerOptions): ShapeHandler {
  const { source } = options;
  const logSchema = options.logSchema ?? DEFAULT_LOG_SCHEMA;
  const waiters = new LiveWaiters();
  const cache = new ReadCache((table) => waiters.version(table), options.schemaCheckMs ?? 5_000);
  const chunkBytes = options.chunkBytes ?? 10 * MiB;
  const registry = new ShapeRegistry(source, logSchema, chunkBytes, cache);
  const timing = {
    liveTimeoutMs: options.liveTimeoutMs ?? 20_000,
    sseTimeoutMs: options.sseTimeoutMs ?? 60_000,
    sseKeepAliveMs: options.sseKeepAliveMs ?? 21_000,
    chunkBytes,
    cacheAges: { maxAge: options.cacheMaxAge ?? 60, staleAge: options.cacheStaleAge ?? 300 },
  };
  let unlisten: (() => Promise<void>) | undefined;
  /** Per table sub-queries read, the tables whose shapes they move rows of: woken with it. */
  const dependents = new Map<string, Set<string>>();

  const handler = (async (request, response, parsedBody) => {
    cors(request, response, options.corsOrigins ?? '*');
    if (request.method === 'OPTIONS') {
      response.writeHead(204, { 'access-control-max-age': '86400' }).end();
      return;
    }
    if (options.secret !== undefined && !secretMatches(request, options.secret)) {
      sendJson(
        request,
        response,
        401,
        JSON.stringify({ message: 'Unauthorized: this shape service needs its secret' }),
        {
          'cache-control': CACHE_CONTROL.error,
        },
      );
      return;
    }
    const deletes = request.method === 'DELETE' && options.allowShapeDeletion !== false;
    if (!['GET', 'HEAD', 'POST'].includes(request.method ?? '') && !deletes) {
      sendJson(request, response, 405, JSON.stringify({ message: `${request.method} is not served on shapes` }), {
        'cache-control': CACHE_CONTROL.error,
        allow: `GET, HEAD, POST, ${options.allowShapeDeletion !== false ? 'DELETE, ' : ''}OPTIONS`,
      });
      return;
    }
    if (deletes)
      return deleteShapes(
        request,
        response,
        registry,
        (table) => waiters.wake(table),
        options.defaultSchema ?? 'public',
      );
    const aborter = new AbortController();
    response.on('close', () => aborter.abort());
    try {
      const body =
        request.method !== 'POST'
          ? undefined
          : parsedBody !== undefined
            ? parsedBody
            : await readJsonBody(request, MiB);
      const attempt = async (): Promise<void> => {
        const shapeRequest = parseShapeRequest(new URL(request.url ?? '/', 'http://localhost').searchParams, body);
        const table = {
          schema: shapeRequest.table.schema ?? options.defaultSchema ?? 'public',
          table: shapeRequest.table.table,
        };
        const shape = await defineShape(source, { ...shapeRequest, table }, logSchema, cache).catch(
          async (error: unknown) => {
            // the table of a shape a client follows is gone (dropped, or no longer captured): the shape
            // has ended, and the client starts over (409 without a handle, as Electric answers then)
            if (error instanceof BadRequest && error.parameter === 'table' && shapeRequest.handle)
              if ((await registry.endIfKnown(shapeRequest.handle)) !== undefined) return undefined;
            throw error;
          },
        );
        for (const other of shape?.dependsOn ?? []) {
          const key = `${other.schema}.${other.table}`;
          const woken = dependents.get(key) ?? new Set<string>();
          dependents.set(key, woken.add(tableKey(shape!)));
        }
        if (!shape)
          return sendJson(request, response, 409, JSON.stringify([{ headers: { control: 'must-refetch' } }]), {
            'cache-control': 'public, max-age=1, must-revalidate',
          });
        const context: ServeContext = {
          source,
          registry,
          waiters,
          cache,
          options: timing,
          request,
          response,
          aborted: aborter.signal,
          shape,
          shapeRequest,
        };
        if (shapeRequest.subset) return await serveSubset(context, shapeRequest.subset);
        return await serveShape(context);
      };
      // a table dropped, or altered, since its schema was read (the cache keeps it a few seconds
      // when no write follows): read it again and answer from what it is now
      await attempt().catch((error: unknown) => {
        if (!definitionChanged(error)) throw error;
        cache.clear();
        return attempt();
      });
    } catch (error) {
      if (error instanceof BadRequest || error instanceof WhereClauseError)
        return sendJson(request, response, 400, invalidRequest(error.parameter, error.message), {
          'cache-control': CACHE_CONTROL.error,
        });
      if (error instanceof BodyError)
        return sendJson(request, response, error.status, JSON.stringify({ error: error.message }), {
          'cache-control': CACHE_CONTROL.error,
        });
      if (aborter.signal.aborted) return;
      sendJson(
        request,
        response,
        500,
        JSON.stringify({ message: `development shape server: ${(error as Error).message}` }),
        { 'cache-control': CACHE_CONTROL.error },
      );
    }
  }) as ShapeHandler;

  handler.start = async () => {
    unlisten ??= await source.listen(NOTIFY_CHANNEL, (table) => {
      // '*': the log was reset; every shape ended
      if (table === '*') {
        cache.clear();
        waiters.wakeAll();
      } else {
        waiters.wake(table);
        // shapes whose sub-queries read it: their rows may have moved (checked when they are read)
        for (const dependent of dependents.get(table) ?? []) waiters.wake(dependent);
      }
    });
  };
  handler.close = async () => {
    waiters.wakeAll();
    await unlisten?.();
    unlisten = undefined;
  };
  return handler;
}

async function serveShape(context: ServeContext): Promise<void> {
  const { registry, shape, shapeRequest, request, response } = context;
  const { offset } = shapeRequest;
  const requested = new URL(request.url ?? '/', 'http://localhost').searchParams.get('offset') ?? '';

  if (offset.kind === 'initial') {
    // a new client: the shape's snapshot (made on the shape's first request), first chunk
    const stored = await registry.open(shape);
    return sendChunk(context, stored, 0, '-1');
  }
  if (offset.kind === 'now') {
    const stored = await registry.open(shape);
    const end = await logEnd(context.source, shape.logSchema);
    const at = end <= stored.snapshotLast && end === 0n ? '0_inf' : offsetAfter(stored, end);
    return sendJson(request, response, 200, JSON.stringify([upToDate(end)]), {
      'electric-handle': stored.handle,
      'electric-offset': at,
      'electric-schema': schemaHeader(shape),
      'electric-up-to-date': '',
      'electric-has-data': 'false',
      'cache-control': CACHE_CONTROL.catchUp(context.options.cacheAges),
      etag: etagOf(stored.handle, 'now', at, true),
    });
  }
  const stored = await registry.current(shapeRequest.handle!, shape);
  if (!stored) return mustRefetch(context);
  if (offset.kind === 'chunk') {
    if (offset.after > stored.chunks - 1) return outOfBounds(context);
    if (offset.after < stored.chunks - 1) return sendChunk(context, stored, offset.after + 1, requested);
  }
  const after = offset.kind === 'log' && offset.after !== 'snapshot' ? offset.after : stored.snapshotLast;

  const seen = context.waiters.version(tableKey(shape));
  const readLog = () =>
    context.cache.get(`log:${stored.handle}:${after}`, tableKey(shape), () =>
      changesAfter(context.source, shape, after, context.options.chunkBytes),
    );
  let read = await readLog();
  if (read.kind === 'truncated') {
    await registry.end(stored.handle);
    return mustRefetch(context);
  }
  if (after > read.end) return outOfBounds(context);
  if (shapeRequest.live && shapeRequest.liveSse) return serveSse(context, stored, after, read, seen);
  let waited = false;
  if (shapeRequest.live && read.messages.length === 0 && !read.more) {
    await context.waiters.wait(tableKey(shape), context.options.liveTimeoutMs, context.aborted, seen);
    if (context.aborted.aborted) return;
    // the shape may have ended while this request waited (a truncate, a reset): its offset means nothing now
    if (!(await registry.current(stored.handle, shape))) return mustRefetch(context);
    read = await readLog();
    if (read.kind === 'truncated') {
      await registry.end(stored.handle);
      return mustRefetch(context);
    }
    waited = true;
  }
  return sendChanges(context, stored, requested, read, waited);
}

async function sendChunk(context: ServeContext, stored: StoredShape, index: number, requested: string): Promise<void> {
  const body = await context.registry.chunk(stored.handle, index);
  if (body === undefined) return mustRefetch(context); // the shape ended meanwhile
  const offset = `0_${index}`;
  const etag = etagOf(stored.handle, requested, offset);
  const headers = {
    'electric-handle': stored.handle,
    'electric-offset': offset,
    'electric-has-data': 'true',
    'cache-control':
      index === 0 && requested === '-1' ? CACHE_CONTROL.initial : CACHE_CONTROL.catchUp(context.options.cacheAges),
    etag,
  };
  if (notModified(context.request, etag)) return sendJson(context.request, context.response, 304, undefined, headers);
  sendJson(context.request, context.response, 200, body, {
    ...headers,
    'electric-schema': schemaHeader(context.shape),
  });
}

function sendChanges(
  context: ServeContext,
  stored: StoredShape,
  requested: string,
  read: Extract<LogRead, { kind: 'changes' }>,
  waited: boolean,
): void {
  const { shapeRequest, request, response, shape } = context;
  const offset = offsetAfter(stored, read.last);
  const empty = read.messages.length === 0;
  const messages: object[] = [...read.messages];
  if (!read.more) messages.push(upToDate(read.last));
  const etag = etagOf(stored.handle, requested, offset, empty);
  const headers: Record<string, string> = {
    'electric-handle': stored.handle,
    'electric-offset': offset,
    'electric-has-data': empty && waited ? 'false' : 'true',
    'cache-control': shapeRequest.live ? CACHE_CONTROL.live : CACHE_CONTROL.catchUp(context.options.cacheAges),
    etag,
  };
  if (!read.more) headers['electric-up-to-date'] = '';
  if (shapeRequest.live)
    headers['electric-cursor'] = liveCursor(cursorOf(request), context.options.liveTimeoutMs / 1000);
  if (notModified(request, etag)) return sendJson(request, response, 304, undefined, headers);
  if (!shapeRequest.live) headers['electric-schema'] = schemaHeader(shape);
  sendJson(request, response, 200, JSON.stringify(messages), headers);
}

function outOfBounds(context: ServeContext): void {
  sendJson(context.request, context.response, 400, invalidRequest('offset', 'out of bounds for this shape'), {
    'cache-control': CACHE_CONTROL.error,
  });
}

/** `secret` (or the older `api_secret`) is the service's, compared in constant time. */
function secretMatches(request: IncomingMessage, secret: string): boolean {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const given = Buffer.from(query.get('secret') ?? query.get('api_secret') ?? '');
  const wanted = Buffer.from(secret);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Postgres' undefined table, column or type: what a query over a table that changed meets. */
function definitionChanged(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '42P01' || code === '42703' || code === '42704';
}
