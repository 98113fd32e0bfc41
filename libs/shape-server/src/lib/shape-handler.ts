import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_LOG_SCHEMA, isCaptured, logEpoch, NOTIFY_CHANNEL } from './change-capture';
import { LiveWaiters } from './live-waiters';
import { changesAfter, snapshot, type ShapeDefinition, type ShapeMessage } from './shape-log';
import { BadRequest, parseShapeRequest, type ShapeRequest } from './shape-request';
import type { ShapeSource } from './source';
import type { TableName } from './sql-identifiers';
import { electricSchema, readTableSchema } from './table-schema';
import { checkWhereClause, WhereClauseError } from './where-clause';

export interface ShapeHandlerOptions {
  source: ShapeSource;
  /** The schema `installChangeCapture` put the change log in; default `sync_patterns`. */
  logSchema?: string;
  /** The schema of a `table` named without one; Electric's is `public`. */
  defaultSchema?: string;
  /** How long a live request waits for a change before answering up-to-date alone (Electric: about 20 s). */
  liveTimeoutMs?: number;
  /** Origins allowed to read shapes from a browser; default any (`*`). */
  corsOrigins?: string[] | '*';
}

export interface ShapeHandler {
  (request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Starts listening for changes; call once before serving. */
  start(): Promise<void>;
  /** Stops listening and answers the waiting long-polls. */
  close(): Promise<void>;
}

const EXPOSED = [
  'electric-offset',
  'electric-handle',
  'electric-schema',
  'electric-cursor',
  'electric-up-to-date',
].join(', ');

/** Electric's `GET /v1/shape`, as a Node request handler (mountable in any server, or run alone). */
export function createShapeHandler(options: ShapeHandlerOptions): ShapeHandler {
  const { source } = options;
  const liveTimeoutMs = options.liveTimeoutMs ?? 20_000;
  const waiters = new LiveWaiters();
  let unlisten: (() => Promise<void>) | undefined;

  const handler = (async (request, response) => {
    cors(request, response, options.corsOrigins ?? '*');
    if (request.method === 'OPTIONS') return send(response, 204, {});
    if (request.method !== 'GET')
      return send(response, 405, { message: 'only GET is supported by the development shape server' });
    const aborted = new AbortController();
    response.on('close', () => aborted.abort());
    try {
      const shapeRequest = parseShapeRequest(new URL(request.url ?? '/', 'http://localhost').searchParams);
      const shape = await defineShape(
        source,
        {
          ...shapeRequest,
          table: {
            schema: shapeRequest.table.schema ?? options.defaultSchema ?? 'public',
            table: shapeRequest.table.table,
          },
        },
        options.logSchema ?? DEFAULT_LOG_SCHEMA,
      );
      const handle = await shapeHandle(source, shape);
      if (shapeRequest.offset.kind === 'after' && shapeRequest.handle !== handle) {
        // a reset log, or a handle of another shape: the client starts over with the new handle
        return send(response, 409, [{ headers: { control: 'must-refetch' } }], { 'electric-handle': handle });
      }
      const headers: Record<string, string> = { 'electric-handle': handle };
      let messages: ShapeMessage[];
      let last: bigint;
      let upToDate = true;
      if (shapeRequest.offset.kind === 'initial') {
        ({
          messages,
          position: { last },
        } = await snapshot(source, shape));
      } else if (shapeRequest.offset.kind === 'now') {
        ({
          position: { last },
        } = await changesAfter(source, shape, BigInt(Number.MAX_SAFE_INTEGER)));
        messages = [];
      } else {
        const after = shapeRequest.offset.id;
        let read = await changesAfter(source, shape, after);
        if (shapeRequest.live && read.messages.length === 0 && !read.more) {
          await waiters.wait(tableKey(shape), liveTimeoutMs, aborted.signal);
          if (aborted.signal.aborted) return;
          // the log may have been reset while this request waited: its offset means nothing now
          const current = await shapeHandle(source, shape);
          if (current !== handle)
            return send(response, 409, [{ headers: { control: 'must-refetch' } }], { 'electric-handle': current });
          read = await changesAfter(source, shape, after);
        }
        messages = read.messages;
        last = read.position.last > after ? read.position.last : after;
        upToDate = !read.more;
      }
      if (shapeRequest.live) headers['electric-cursor'] = String(Math.floor(Date.now() / 1000));
      else
        headers['electric-schema'] = electricSchema(shape.table.columns.filter((c) => shape.columns.includes(c.name)));
      headers['electric-offset'] = `${last}_0`;
      if (upToDate) {
        headers['electric-up-to-date'] = '';
        messages = [...messages, { headers: { control: 'up-to-date' } }];
      }
      return send(response, 200, messages, headers);
    } catch (error) {
      if (error instanceof BadRequest || error instanceof WhereClauseError)
        return send(response, 400, { message: error.message });
      if (aborted.signal.aborted) return;
      return send(response, 500, { message: `development shape server: ${(error as Error).message}` });
    }
  }) as ShapeHandler;

  handler.start = async () => {
    unlisten ??= await source.listen(NOTIFY_CHANNEL, (table) => waiters.wake(table));
  };
  handler.close = async () => {
    waiters.wakeAll();
    await unlisten?.();
    unlisten = undefined;
  };
  return handler;
}

async function defineShape(
  source: ShapeSource,
  request: ShapeRequest & { table: TableName },
  logSchema: string,
): Promise<ShapeDefinition> {
  // Only tables whose changes are captured are served: the others could never stream, and serving
  // them would expose every table of the database to anyone who can reach the endpoint. Both cases
  // get the same answer, so the endpoint does not tell which other tables exist.
  const table = (await isCaptured(source, request.table)) ? await readTableSchema(source, request.table) : undefined;
  if (!table)
    throw new BadRequest(
      `table: ${request.table.schema}.${request.table.table} does not exist or is not served (only tables set up with installChangeCapture are)`,
    );
  if (!table.primaryKey.length)
    throw new BadRequest(`table: ${request.table.schema}.${request.table.table} has no primary key; shapes need one`);
  const names = new Set(table.columns.map((c) => c.name));
  const columns = request.columns ?? table.columns.map((c) => c.name);
  const unknown = columns.filter((c) => !names.has(c));
  if (unknown.length)
    throw new BadRequest(`columns: ${unknown.join(', ')} not in ${table.name.schema}.${table.name.table}`);
  const missingKey = table.primaryKey.filter((k) => !columns.includes(k));
  if (missingKey.length) throw new BadRequest(`columns: must include the primary key (${missingKey.join(', ')})`);
  if (request.where) checkWhereClause(request.where, names);
  return {
    table,
    logSchema,
    where: request.where,
    params: request.params,
    columns: table.columns.map((c) => c.name).filter((c) => columns.includes(c)),
  };
}

/** Stable across server restarts (the log's generation lives in the database), new after a reset. */
async function shapeHandle(source: ShapeSource, shape: ShapeDefinition): Promise<string> {
  const definition = JSON.stringify([
    shape.table.name.schema,
    shape.table.name.table,
    shape.where ?? '',
    shape.params,
    shape.columns,
  ]);
  const epoch = await logEpoch(source, shape.logSchema);
  return `${createHash('sha256').update(definition).digest('hex').slice(0, 16)}-${epoch.slice(0, 12)}`;
}

const tableKey = (shape: ShapeDefinition) => `${shape.table.name.schema}.${shape.table.name.table}`;

function cors(request: IncomingMessage, response: ServerResponse, origins: string[] | '*'): void {
  const origin = request.headers.origin;
  if (origins === '*') response.setHeader('access-control-allow-origin', '*');
  else if (origin && origins.includes(origin)) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('vary', 'origin');
  }
  response.setHeader('access-control-expose-headers', EXPOSED);
  response.setHeader('access-control-allow-methods', 'GET, OPTIONS');
  response.setHeader('access-control-allow-headers', '*');
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(status === 204 ? undefined : JSON.stringify(body));
}
