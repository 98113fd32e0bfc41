import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The headers a browser may read, as Electric exposes them (and `etag`, `electric-snapshot`). */
const EXPOSED = [
  'electric-cursor',
  'electric-handle',
  'electric-has-data',
  'electric-offset',
  'electric-schema',
  'electric-up-to-date',
  'electric-snapshot',
  'electric-internal-known-error',
  'retry-after',
  'etag',
].join(',');

/** How long a CDN may keep catch-up answers, and serve them stale (Electric: 60 s and 300 s). */
export interface CacheAges {
  maxAge: number;
  staleAge: number;
}

/** Electric's `cache-control` per kind of answer, so a CDN in front caches what Electric's would. */
export const CACHE_CONTROL = {
  initial: 'public, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746',
  catchUp: (ages: CacheAges) => `public, max-age=${ages.maxAge}, stale-while-revalidate=${ages.staleAge}`,
  live: 'public, max-age=5, stale-while-revalidate=5',
  sse: (timeoutMs: number) => `public, max-age=${Math.max(0, Math.floor(timeoutMs / 1000) - 1)}`,
  mustRefetch: (ages: CacheAges) => `public, max-age=${ages.maxAge}, must-revalidate`,
  subset: 'no-cache',
  error: 'no-store',
} as const;

export function cors(request: IncomingMessage, response: ServerResponse, origins: string[] | '*'): void {
  const origin = request.headers.origin;
  if (origins === '*') response.setHeader('access-control-allow-origin', '*');
  else if (origin && origins.includes(origin)) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('vary', 'origin');
  }
  response.setHeader('access-control-expose-headers', EXPOSED);
  response.setHeader('access-control-allow-methods', 'GET, POST, HEAD, DELETE, OPTIONS');
  response.setHeader('access-control-allow-headers', '*');
}

/** A JSON answer; `body` is already JSON text (snapshot chunks are stored as such). */
export function sendJson(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  body: string | undefined,
  headers: Record<string, string>,
): void {
  if (response.headersSent || response.destroyed) return;
  const compressed = body !== undefined && body.length >= COMPRESS_FROM && acceptsGzip(request);
  if (!compressed) {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(request.method === 'HEAD' || body === undefined ? undefined : body);
    return;
  }
  // shape answers are repetitive JSON: gzip (its fastest level) makes them several times smaller
  // for a few milliseconds per megabyte, as a CDN or proxy in front of Electric would
  const bytes = gzipSync(body, { level: 1 });
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
    'content-encoding': 'gzip',
    'content-length': String(bytes.length),
    vary: 'accept-encoding',
  });
  response.end(request.method === 'HEAD' ? undefined : bytes);
}

/** Answers smaller than this go as they are (gzip's header would outweigh the gain). */
const COMPRESS_FROM = 1024;

function acceptsGzip(request: IncomingMessage): boolean {
  const header = request.headers['accept-encoding'];
  return typeof header === 'string' && /(^|,)\s*gzip\s*(;\s*q=(?!0(\.0*)?\s*(,|$))[0-9.]+)?\s*(,|$)/i.test(header);
}

/** Electric's 400: `{ message: 'Invalid request', errors: { parameter: [problem] } }` (`subset.where` nests). */
export function invalidRequest(parameter: string, problem: string): string {
  const [outer, inner] = parameter.split('.');
  return JSON.stringify({
    message: 'Invalid request',
    errors: inner ? { [outer]: { [inner]: [problem] } } : { [outer]: [problem] },
  });
}

/** `If-None-Match` names this etag (Electric compares them without quotes, any of a list). */
export function notModified(request: IncomingMessage, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  const wanted = etag.replace(/"/g, '');
  return header.split(',').some((tag) => tag.trim().replace(/"/g, '') === wanted);
}

let unique = 0;
/** An empty answer's etag never matches a later request (Electric appends a monotonic time). */
export function etagOf(handle: string, from: string, to: string, empty = false): string {
  return `"${handle}:${from}:${to}${empty ? `:${process.hrtime.bigint()}${++unique}` : ''}"`;
}

const CURSOR_EPOCH = Date.UTC(2024, 9, 9) / 1000;
/**
 * `electric-cursor`: the live-poll interval the answer belongs to, counted as Electric counts it,
 * so a cached live answer is never served to the next interval's requests.
 */
export function liveCursor(requestCursor: string | null, intervalSeconds: number): string {
  const now = Date.now() / 1000;
  const interval = Math.max(1, Math.round(intervalSeconds));
  const current = Math.ceil((now - CURSOR_EPOCH) / interval) * interval;
  const asked = requestCursor !== null && /^[0-9]+$/.test(requestCursor) ? Number(requestCursor) : -1;
  return String(asked >= current ? asked + 1 + Math.floor(Math.random() * 3600) : current);
}

/** Reads a POST body as JSON, refusing more than `limit` bytes. */
export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of request) {
    size += (part as Buffer).length;
    if (size > limit) throw new BodyError(413, 'Request body too large');
    parts.push(part as Buffer);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new BodyError(400, 'Invalid JSON in request body');
  }
}

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
