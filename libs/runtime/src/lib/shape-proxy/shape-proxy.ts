import type { ShapePolicy, ShapePolicyEntry } from './shape-policy';
import { disallowedName } from './subset-check';

/** A parameter value of a shape's where, bound from the principal. */
export type ShapeParamValue = string | number | bigint | boolean;

export interface ShapeProxyOptions<P> {
  /** The api's generated shape policy (`<core import>/shape-policy`). */
  policy: ShapePolicy;
  /** Electric's shape endpoint, e.g. `http://electric:3000/v1/shape` (or the development shape server's). */
  electricUrl: string | URL;
  /** Electric's secret (`ELECTRIC_SECRET`), added to every request; clients never see it. */
  secret?: string;
  /**
   * Who is asking, from the request (its session cookie or bearer token): a principal, or
   * null / undefined for a stranger (401). May throw a ShapeProxyError of its own status.
   */
  authenticate: (request: Request) => Promise<P | null | undefined> | P | null | undefined;
  /**
   * The values of the where's named parameters for this principal (`$user` → `{ user: … }`). By
   * default the principal's own properties of those names.
   */
  params?: (principal: P, table: string) => Record<string, ShapeParamValue | undefined>;
  /** Whether this principal may read this table at all (default: every table of the policy); false → 403. */
  allow?: (principal: P, table: string) => boolean;
  /** Origins allowed to read shapes from a browser (default: none — same origin only). */
  corsOrigins?: readonly string[] | '*';
  /** How Electric is reached (default: the global fetch). */
  fetch?: typeof fetch;
  /** Called with a request Electric could not be reached for (default: console.error). */
  onError?: (error: unknown) => void;
}

/** A refusal with its status, for `authenticate` to throw (e.g. 403 for a locked account). */
export class ShapeProxyError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 500 | 502,
    message: string,
    /** The request parameter it is about, for a 400. */
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** What the client may send beside `table` and `columns`: the protocol's own parameters, as Electric's client names them. */
const PASSED = [
  'offset',
  'handle',
  'live',
  'live_sse',
  'experimental_live_sse',
  'cursor',
  'expired_handle',
  'log',
  'replica',
  'cache-buster',
  'subset__limit',
  'subset__offset',
  'subset__params',
];
/** Checked against the allowed columns before they pass. */
const SUBSET_TEXT = ['subset__where', 'subset__order_by'];
/** Structured forms of the same (for column renaming in the client): left out, as only the text forms are checked. */
const DROPPED = ['subset__where_expr', 'subset__order_by_expr'];
/** Every header Electric's protocol answers with, exposed to browsers. */
const EXPOSED = [
  'electric-handle',
  'electric-offset',
  'electric-schema',
  'electric-cursor',
  'electric-up-to-date',
  'electric-has-data',
  'electric-snapshot',
  'electric-internal-known-error',
  'retry-after',
  'etag',
];
/** Not copied from Electric's answer: fetch has already decoded the body, the connection is ours, and so is `vary`. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-encoding',
  'content-length',
  'vary',
]);
/** The largest subset request body read (Electric's client sends subsets by POST). */
const MAX_BODY = 64 * 1024;

/**
 * The server side of live mode's security: a `Request → Response` handler to mount at `/v1/shape`
 * in front of Electric (Hono, Fastify, Express and Node's http: see `toNodeHandler`). It
 * authenticates the request, serves only the tables of the generated policy, pins the columns a
 * client may read and the rows it may see — the model's where, its parameters bound from the
 * principal, never from the request — adds Electric's secret and forwards the rest of the protocol
 * (offsets, handles, live, subsets) with every `electric-*` header exposed.
 *
 * Answers vary by who asks: they are made private (`cache-control: private`, `vary: authorization,
 * cookie`), so a shared cache never gives one user's shape to another.
 */
export function createShapeProxy<P>(options: ShapeProxyOptions<P>): (request: Request) => Promise<Response> {
  const upstream = new URL(options.electricUrl);
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const onError = options.onError ?? ((error: unknown) => console.error('shape proxy:', error));
  return async (request) => {
    const cors = corsHeaders(request, options.corsOrigins);
    try {
      if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: preflight(request, cors) });
      if (!['GET', 'HEAD', 'POST'].includes(request.method))
        throw new ShapeProxyError(405, `${request.method} is not served on shapes (GET, or POST for a subset)`);
      const principal = await options.authenticate(request);
      if (principal === null || principal === undefined)
        throw new ShapeProxyError(401, 'Sign in first: shapes are read by signed-in users only');
      const query = new URL(request.url).searchParams;
      // one value per parameter: two `table`s would be read one way here and maybe another beyond
      for (const name of new Set(query.keys()))
        if (query.getAll(name).length > 1) throw new ShapeProxyError(400, `${name}: given more than once`, name);
      const table = query.get('table');
      if (!table) throw new ShapeProxyError(400, 'the table parameter is required', 'table');
      const entry = Object.prototype.hasOwnProperty.call(options.policy, table) ? options.policy[table] : undefined;
      if (!entry || (options.allow && !options.allow(principal, table)))
        throw new ShapeProxyError(403, `table ${table} is not served to this user`, 'table');
      const target = new URL(upstream);
      target.search = '';
      target.searchParams.set('table', table);
      target.searchParams.set('columns', pinnedColumns(query.get('columns'), entry, table));
      if (entry.where) target.searchParams.set('where', entry.where);
      bindParams(entry, principal, table, options.params).forEach((value, i) =>
        target.searchParams.set(`params[${i + 1}]`, value),
      );
      for (const [name, value] of query) {
        if (name === 'table' || name === 'columns' || DROPPED.includes(name)) continue;
        if (name === 'where' || /^params(\[|$)/.test(name))
          throw new ShapeProxyError(
            400,
            `${name}: the server pins the rows of this shape; clients do not send them`,
            name,
          );
        if (SUBSET_TEXT.includes(name)) checkSubsetText(name, value, entry);
        else if (!PASSED.includes(name))
          throw new ShapeProxyError(400, `${name}: not a parameter of the shape protocol`, name);
        target.searchParams.set(name, value);
      }
      if (options.secret) target.searchParams.set('secret', options.secret);
      const body = request.method === 'POST' ? await subsetBody(request, entry) : undefined;
      const headers = new Headers();
      for (const name of ['if-none-match', 'accept'])
        if (request.headers.has(name)) headers.set(name, request.headers.get(name)!);
      if (body !== undefined) headers.set('content-type', 'application/json');
      let answer: Response;
      try {
        answer = await doFetch(target, { method: request.method, headers, body, signal: request.signal });
      } catch (error) {
        if (request.signal.aborted) return new Response(null, { status: 499 });
        onError(error);
        throw new ShapeProxyError(502, 'the shape service cannot be reached: try again shortly');
      }
      return new Response(request.method === 'HEAD' ? null : answer.body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: answerHeaders(answer.headers, cors),
      });
    } catch (error) {
      if (!(error instanceof ShapeProxyError)) {
        onError(error);
        return refusal(new ShapeProxyError(500, 'the shape proxy failed: see the server log'), cors);
      }
      return refusal(error, cors);
    }
  };
}

/** The columns sent: the client's, each allowed (the key among them, as Electric requires), or all the allowed ones. */
function pinnedColumns(asked: string | null, entry: ShapePolicyEntry, table: string): string {
  if (asked === null) return entry.columns.map(quoted).join(',');
  const names = parseColumns(asked);
  const refused = names.filter((name) => !entry.columns.includes(name));
  if (refused.length)
    throw new ShapeProxyError(
      403,
      `columns: ${refused.join(', ')} of ${table} ${refused.length > 1 ? 'are' : 'is'} not served to clients`,
      'columns',
    );
  return names.map(quoted).join(',');
}

/** The where's parameter values, from the principal: a parameter without a value is a server mistake (500), never a wider shape. */
function bindParams<P>(
  entry: ShapePolicyEntry,
  principal: P,
  table: string,
  params: ShapeProxyOptions<P>['params'],
): string[] {
  if (!entry.params?.length) return [];
  const values = params ? params(principal, table) : (principal as Record<string, unknown>);
  return entry.params.map((name) => {
    const value = (values as Record<string, unknown> | undefined)?.[name];
    if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'bigint' ||
      typeof value === 'boolean'
    )
      return String(value);
    throw new Error(
      `the shape policy of ${table} needs $${name}, and the principal has no value for it: return it from the proxy's params option`,
    );
  });
}

function checkSubsetText(name: string, value: string, entry: ShapePolicyEntry): void {
  const refused = disallowedName(value, new Set(entry.columns));
  if (refused !== undefined)
    throw new ShapeProxyError(
      403,
      `${name}: "${refused}" is not a column served to clients (a subset filters and orders on the shape's columns only)`,
      name,
    );
}

/** A subset's POST body (`{ where, params, limit, offset, order_by }`), checked like its GET form. */
async function subsetBody(request: Request, entry: ShapePolicyEntry): Promise<string> {
  const text = await request.text();
  if (text.length > MAX_BODY) throw new ShapeProxyError(413, `a subset request is at most ${MAX_BODY} bytes`);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ShapeProxyError(400, 'body: a subset request is a JSON object', 'body');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ShapeProxyError(400, 'body: a subset request is a JSON object', 'body');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'where' || key === 'order_by') {
      if (typeof value === 'string') checkSubsetText(`subset.${key}`, value, entry);
      out[key] = value;
    } else if (key === 'params' || key === 'limit' || key === 'offset') out[key] = value;
    else if (key !== 'where_expr' && key !== 'order_by_expr')
      throw new ShapeProxyError(400, `body.${key}: not a part of a subset request`, 'body');
  }
  return JSON.stringify(out);
}

/** `id,"Title",done` → ['id', 'Title', 'done'], as Electric reads it: quoted names keep their case. */
function parseColumns(value: string): string[] {
  const out: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(,|$)/y;
  let index = 0;
  while (index < value.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(value);
    if (!match) throw new ShapeProxyError(400, `columns: cannot read "${value.slice(0, 80)}"`, 'columns');
    out.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].toLowerCase());
    index = pattern.lastIndex;
    if (match[3] === '') break;
  }
  if (!out.length) throw new ShapeProxyError(400, 'columns: empty', 'columns');
  return out;
}

function quoted(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function corsHeaders(request: Request, origins: ShapeProxyOptions<unknown>['corsOrigins']): Headers {
  const headers = new Headers();
  const origin = request.headers.get('origin');
  if (!origins || !origin) return headers;
  if (origins === '*' || origins.includes(origin)) {
    headers.set('access-control-allow-origin', origins === '*' ? '*' : origin);
    headers.set('access-control-expose-headers', EXPOSED.join(', '));
  }
  return headers;
}

function preflight(request: Request, cors: Headers): Headers {
  const headers = new Headers(cors);
  if (!headers.has('access-control-allow-origin')) return headers;
  headers.set('access-control-allow-methods', 'GET, HEAD, POST, OPTIONS');
  headers.set(
    'access-control-allow-headers',
    request.headers.get('access-control-request-headers') ?? 'authorization, content-type',
  );
  headers.set('access-control-max-age', '86400');
  return headers;
}

/** Electric's answer headers, made private to the user who asked, with CORS. */
function answerHeaders(from: Headers, cors: Headers): Headers {
  const headers = new Headers();
  // CORS is the proxy's to answer, for the app's origins: Electric's own (often `*`) is dropped
  from.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name) && !name.startsWith('access-control-')) headers.set(name, value);
  });
  const cacheControl = headers.get('cache-control');
  if (cacheControl) headers.set('cache-control', cacheControl.replace(/\bpublic\b/, 'private'));
  headers.set('vary', 'authorization, cookie, origin');
  cors.forEach((value, name) => headers.set(name, value));
  return headers;
}

function refusal(error: ShapeProxyError, cors: Headers): Response {
  const headers = new Headers(cors);
  headers.set('content-type', 'application/json');
  headers.set('cache-control', 'no-store');
  // Electric's form of a 400: the message, and the problem under the parameter it is about
  const body =
    error.status === 400 && error.parameter
      ? { message: 'Invalid request', errors: { [error.parameter]: [error.message] } }
      : { message: error.message };
  if (error.status === 405) headers.set('allow', 'GET, HEAD, POST, OPTIONS');
  return new Response(JSON.stringify(body), { status: error.status, headers });
}
