import { cursorOf, tableKey, upToDate, type ServeContext } from './serve-context';
import { changesAfter, type LogRead } from './shape-log';
import type { StoredShape } from './shape-registry';
import { CACHE_CONTROL, etagOf, liveCursor } from './shape-responses';

/**
 * A live request with `live_sse=true`, answered as Electric does: server-sent events, each message
 * one `data:` frame, every batch closed by an up-to-date that carries the log position the client
 * resumes from (`global_last_seen_lsn`). A client that is behind gets its catch-up and the stream
 * ends; one that is caught up is held (a comment keeps the connection alive) until the SSE timeout,
 * or until its shape ends — then the stream closes and the client's next request gets the 409.
 */
export async function serveSse(
  context: ServeContext,
  stored: StoredShape,
  after: bigint,
  first: Extract<LogRead, { kind: 'changes' }>,
  /** The table's change count before `first` was read. */
  seenBeforeFirst: number,
): Promise<void> {
  const { request, response, options, aborted } = context;
  const requested = new URL(request.url ?? '/', 'http://localhost').searchParams.get('offset') ?? '';
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    connection: 'keep-alive',
    'cache-control': CACHE_CONTROL.sse(options.sseTimeoutMs),
    'electric-handle': stored.handle,
    'electric-offset': requested,
    'electric-cursor': liveCursor(cursorOf(request), options.liveTimeoutMs / 1000),
    'electric-has-data': 'true',
    etag: etagOf(stored.handle, requested, requested, true),
  });
  response.flushHeaders();
  const send = (read: Extract<LogRead, { kind: 'changes' }>) => {
    const frames = read.messages.map((message) => `data: ${JSON.stringify(message)}\n\n`);
    if (!read.more) frames.push(`data: ${JSON.stringify(upToDate(read.last))}\n\n`);
    response.write(frames.join(''));
  };
  if (first.messages.length > 0 || first.more) {
    // behind: the catch-up, then the client reconnects from where it got to
    send(first);
    response.end();
    return;
  }
  let position = after > first.last ? after : first.last;
  let seen = seenBeforeFirst;
  const closesAt = Date.now() + options.sseTimeoutMs;
  while (!aborted.aborted && Date.now() < closesAt) {
    const wait = Math.min(options.sseKeepAliveMs, closesAt - Date.now());
    const woken = await context.waiters.wait(tableKey(context.shape), wait, aborted, seen);
    if (aborted.aborted) return;
    if (!woken) {
      if (Date.now() < closesAt) response.write(': keep-alive\n\n');
      continue;
    }
    if (!(await context.registry.current(stored.handle, context.shape))) break;
    seen = context.waiters.version(tableKey(context.shape));
    const from = position;
    const read = await context.cache.get(`log:${stored.handle}:${from}`, tableKey(context.shape), () =>
      changesAfter(context.source, context.shape, from, context.options.chunkBytes),
    );
    if (read.kind === 'truncated') {
      await context.registry.end(stored.handle);
      break;
    }
    if (read.messages.length > 0 || read.more) send(read);
    position = read.last > position ? read.last : position;
    if (read.more) break; // far behind: the client comes back for the rest
  }
  response.end();
}
