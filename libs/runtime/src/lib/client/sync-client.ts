import { SyncError } from './sync-error';
import { fillPath, serializeQuery } from './query-string';
import type { CacheStorage } from '../cache/cache-storage';
import type { SqliteDriver } from '../sqlite/sqlite-driver';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type HeaderMap = Record<string, string>;
/** Static headers, or a function called before every request (e.g. to read a fresh auth token). */
export type HeadersInput = HeaderMap | (() => HeaderMap | Promise<HeaderMap>);
/** How a request body is sent: JSON, a URL-encoded form, multipart, or as given (`raw`: a Blob, text or bytes of `contentType`). */
export type BodyEncoding = 'json' | 'form' | 'multipart' | 'raw';

export interface SyncClientOptions {
  /** Prefix of every request path, e.g. `https://api.example.com/v1`. */
  baseUrl: string;
  headers?: HeadersInput;
  /** A fetch implementation to use instead of the global one (tests, SSR, instrumentation). */
  fetch?: typeof fetch;
  credentials?: RequestCredentials;
  /**
   * Where live models read their shapes: ElectricSQL (ELECTRIC_URL) or, better, the API's own proxy
   * route to it. Default: `<baseUrl>/v1/shape`.
   */
  shapeUrl?: string;
  /**
   * Headers of shape requests. Default: the API's `headers` when shapes are read from the API's own
   * origin (the default `<baseUrl>/v1/shape`, or a `shapeUrl` there), none when they are read
   * elsewhere — a token meant for the API never goes to another host unless it is given here.
   */
  shapeHeaders?: HeadersInput;
  /**
   * Local-first: the device's SQLite (any `SqliteDriver`) where live models keep their synced rows.
   * With it, a live collection starts from the stored rows (offline too) and resumes its stream
   * from where it stood; without it, live data lives in memory only.
   */
  localDatabase?: SqliteDriver;
  /** Cache mode: where results survive a reload. Default: the browser's localStorage when there is one. */
  cacheStorage?: CacheStorage;
  /**
   * The largest answer body read, in bytes (default 64 MB): a bigger one fails with a SyncError
   * instead of filling the app's memory (a compromised or broken server can send anything).
   */
  maxResponseBytes?: number;
}

/** Default of `maxResponseBytes`. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The shape endpoint a client's live models use. */
export function shapeUrlOf(options: SyncClientOptions): string {
  const url = options.shapeUrl ?? `${options.baseUrl.replace(/\/+$/, '')}/v1/shape`;
  // Electric's client needs an absolute URL; a relative base is resolved against the page
  return /^[a-z]+:\/\//i.test(url) || typeof location === 'undefined' ? url : new URL(url, location.href).toString();
}

/** The headers a client's live models send with shape requests (see `shapeHeaders`). */
export function shapeHeadersOf(options: SyncClientOptions): HeadersInput | undefined {
  if (options.shapeHeaders !== undefined) return options.shapeHeaders;
  if (options.shapeUrl === undefined) return options.headers;
  return originOf(options.baseUrl) === originOf(options.shapeUrl) ? options.headers : undefined;
}

/** The origin of a URL; relative URLs are the page's ('' without a page: all relative URLs alike). */
function originOf(url: string): string {
  const base = typeof location === 'undefined' ? undefined : location.href;
  try {
    return new URL(url, base).origin;
  } catch {
    return /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : '';
  }
}

export interface SyncRequest {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/todos/{id}`. */
  path: string;
  pathParams?: Record<string, string | number | boolean>;
  query?: Record<string, unknown>;
  body?: unknown;
  bodyEncoding?: BodyEncoding;
  /** The media type of a `raw` body (the operation's request body type, e.g. `application/octet-stream`). */
  contentType?: string;
  signal?: AbortSignal;
  /** Extra request headers (conditional requests: If-None-Match, If-Modified-Since). */
  headers?: HeaderMap;
  /** A 304 Not Modified is an answer, not an error: `data` is then undefined. */
  notModified?: boolean;
  /** Called with a 2xx answer (its headers: a row's ETag). */
  onResponse?: (response: Response) => void;
}

export interface SyncResponse<T> {
  data: T;
  response: Response;
}

export interface SyncClient {
  readonly options: Readonly<SyncClientOptions>;
  /** Changes the configuration in place; generated code holds the client, so apps configure it once at start. */
  configure(options: Partial<SyncClientOptions>): void;
  request<T>(request: SyncRequest): Promise<T>;
  requestWithResponse<T>(request: SyncRequest): Promise<SyncResponse<T>>;
}

export function createSyncClient(initial: SyncClientOptions): SyncClient {
  let options: SyncClientOptions = { ...initial };
  const client: SyncClient = {
    get options() {
      return options;
    },
    configure(patch) {
      options = { ...options, ...patch };
    },
    async request<T>(request: SyncRequest) {
      return (await client.requestWithResponse<T>(request)).data;
    },
    requestWithResponse<T>(request: SyncRequest) {
      return send<T>(options, request);
    },
  };
  return client;
}

async function send<T>(options: SyncClientOptions, request: SyncRequest): Promise<SyncResponse<T>> {
  const url = joinUrl(options.baseUrl, fillPath(request.path, request.pathParams)) + serializeQuery(request.query);
  const headers: HeaderMap = {
    accept: 'application/json',
    ...(await resolveHeaders(options.headers)),
    ...request.headers,
  };
  const body = encodeBody(request, headers);
  const doFetch = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: request.method,
      headers,
      body,
      signal: request.signal,
      credentials: options.credentials,
    });
  } catch (cause) {
    if (isAbort(cause)) throw cause; // TanStack Query treats an abort as a cancellation, not an error
    throw new SyncError({
      kind: 'network',
      message: `${request.method} ${url} could not reach the server: ${describe(cause)}`,
      cause,
    });
  }
  const data = await readBody(
    response,
    options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    `${request.method} ${request.path}`,
  );
  if (!response.ok && !(response.status === 304 && request.notModified)) {
    throw new SyncError({
      kind: response.status === 409 || response.status === 412 ? 'conflict' : 'http',
      status: response.status,
      body: data,
      message: `${request.method} ${request.path} failed with ${response.status}${detailOf(data)}`,
    });
  }
  if (response.ok) request.onResponse?.(response);
  return { data: data as T, response };
}

function joinUrl(base: string, path: string): string {
  if (!base) return path;
  return base.replace(/\/+$/, '') + path;
}

async function resolveHeaders(input: HeadersInput | undefined): Promise<HeaderMap> {
  if (!input) return {};
  return typeof input === 'function' ? await input() : input;
}

/** The request's body as sent, its content type set in `headers`. */
export function encodeBody(
  request: Pick<SyncRequest, 'body' | 'bodyEncoding' | 'contentType'>,
  headers: HeaderMap,
): BodyInit | undefined {
  if (request.body === undefined) return undefined;
  switch (request.bodyEncoding ?? 'json') {
    case 'json':
      headers['content-type'] = 'application/json';
      return JSON.stringify(request.body);
    case 'form':
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return serializeQuery(request.body as Record<string, unknown>).slice(1);
    case 'multipart': {
      const form = new FormData();
      for (const [key, value] of Object.entries(request.body as Record<string, unknown>)) {
        if (value === undefined) continue;
        form.append(
          key,
          value instanceof Blob ? value : typeof value === 'object' ? JSON.stringify(value) : String(value),
        );
      }
      return form; // fetch sets the multipart boundary itself
    }
    case 'raw':
      if (request.contentType) headers['content-type'] = request.contentType;
      return request.body as BodyInit;
  }
}

async function readBody(response: Response, maxBytes: number, label: string): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined;
  const text = await readText(response, maxBytes, label);
  if (!text) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (/[/+]json\b/i.test(type)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

/** The body as text, stopped (and the connection let go) as soon as it passes `maxBytes`. */
async function readText(response: Response, maxBytes: number, label: string): Promise<string> {
  const tooBig = () =>
    new SyncError({
      kind: 'http',
      status: response.status,
      message: `${label}: the answer is over ${maxBytes} bytes (the client's maxResponseBytes): not read`,
    });
  const length = response.headers.get('content-length');
  const declared = length === null ? NaN : Number(length);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  // a declared length is held to by fetch itself (a longer body is an error): read it at once
  if (declared <= maxBytes || !response.body) return response.text();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The human part of common error bodies: FastAPI's `detail`, or `message` / `error`. */
function detailOf(body: unknown): string {
  if (typeof body === 'string') return body ? `: ${body.slice(0, 200)}` : '';
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const field of ['detail', 'message', 'error']) {
      const value = record[field];
      if (typeof value === 'string') return `: ${value}`;
    }
  }
  return '';
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
  }
  return String(error);
}
