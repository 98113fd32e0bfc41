import { http, HttpResponse, type HttpHandler } from 'msw';
import { createFakeShape, type FakeShape } from './fake-shape';
import { TXID_HEADER } from '../live/txid';
import { fakeRow, type FakeModel } from './fake-data';
import { readFormFields } from './form-fields';

/**
 * MSW request handlers that behave like one model's REST resource over an in-memory table: lists
 * (filtered by the query parameters that name fields, paged as the spec pages), reads, creates,
 * updates and deletes, with the status codes the spec declares. A live model's resource also
 * serves its Electric shape and answers each write with the txid the stream then delivers, so live
 * hooks settle exactly as against Postgres. Data comes from the caller (`rows`), fake or not.
 */
export interface MockRoute {
  method: string;
  /** The OpenAPI path template, e.g. `/todos/{id}`. */
  path: string;
  /** The status the spec declares for success. */
  status: number;
}

export type MockPaging =
  | { kind: 'page' | 'offset'; param: string; limitParam?: string; first: number }
  /** `nextField`: the answer names the next cursor; `moreField`: the cursor is the last row's key. */
  | { kind: 'cursor'; param: string; nextField?: string; moreField?: string };

export interface MockRoutes {
  list?: MockRoute & {
    /** Where the rows sit in the answer (`[]`: the answer is the array). */
    itemsPath: string[];
    /** The rest of a wrapped answer (`count`, `total`, …), filled in per page where it can be. */
    wrapper?: Record<string, unknown>;
    /** Query parameters that are also row fields: a list filters on them. */
    filters: string[];
    paging?: MockPaging;
  };
  get?: MockRoute & { idParam: string };
  create?: MockRoute;
  update?: MockRoute & { idParam: string };
  remove?: MockRoute & { idParam: string };
}

export interface MockResourceDefinition {
  fake: FakeModel;
  routes: MockRoutes;
  /** Present for live models: the table the shape syncs. */
  live?: { table: string };
}

export interface MockResourceOptions<T> {
  /** The table's rows to start from (copied). Default: none. */
  rows?: readonly T[];
  /** Only requests under this URL are answered. Default: any origin and prefix. */
  baseUrl?: string;
  /** Rows per page where a list pages and the request names no limit. Default 20. */
  pageSize?: number;
  /** How long a live shape request waits for a change before answering "up to date". Default 20 s. */
  longPollMs?: number;
}

export interface MockResource<T> {
  /** Pass these to `setupServer(...)` / `setupWorker(...)` (or `server.use(...)`). */
  readonly handlers: HttpHandler[];
  /** The table now. */
  rows(): T[];
  /** Replaces the table (and, for a live model, streams the change). */
  reset(rows?: readonly T[]): void;
  /** A live model's fake shape, to stream changes made "by another client". */
  readonly shape?: FakeShape;
}

export function mockResource<T extends object>(
  definition: MockResourceDefinition,
  options: MockResourceOptions<T> = {},
): MockResource<T> {
  const key = definition.fake.key;
  const table = new Map<string, Record<string, unknown>>();
  const pageSize = options.pageSize ?? 20;
  const shape = definition.live
    ? createFakeShape({ key, table: definition.live.table, longPollMs: options.longPollMs ?? 20_000 })
    : undefined;
  let txid = 1000;
  let created = 0;

  const idOf = (value: unknown) => String(value);
  const put = (row: Record<string, unknown>, operation: 'insert' | 'update') => {
    const id = idOf(row[key]);
    const before = table.get(id);
    table.set(id, row);
    if (!shape) return undefined;
    txid += 1;
    if (operation === 'insert' || !before) shape.insert(row, txid);
    else shape.update(id, changedFields(before, row), txid);
    return txid;
  };
  const reset = (rows: readonly T[] = []) => {
    for (const id of [...table.keys()]) {
      table.delete(id);
      shape?.remove(id);
    }
    for (const row of rows) put({ ...(row as Record<string, unknown>) }, 'insert');
  };
  reset(options.rows);

  const routes = definition.routes;
  const compiled = {
    list: routes.list && compile(routes.list.path),
    get: routes.get && compile(routes.get.path),
    create: routes.create && compile(routes.create.path),
    update: routes.update && compile(routes.update.path),
    remove: routes.remove && compile(routes.remove.path),
  };
  const prefix = options.baseUrl?.replace(/\/+$/, '');

  /** The path below the base URL, or undefined when the request is not for this API. */
  const pathOf = (url: URL): string | undefined => {
    if (prefix === undefined) return url.pathname;
    const base = new URL(prefix, url);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return undefined;
    return url.pathname.slice(base.pathname.replace(/\/+$/, '').length) || '/';
  };
  const withTxid = (id: number | undefined): HeadersInit | undefined =>
    id === undefined ? undefined : { [TXID_HEADER]: String(id) };
  const notFound = (id: string) =>
    HttpResponse.json({ error: 'not_found', message: `no row with ${key} ${id}` }, { status: 404 });
  const body = async (request: Request): Promise<Record<string, unknown>> => {
    const type = request.headers.get('content-type') ?? '';
    // form and multipart bodies: their fields read back into the row's values, as the API would
    if (/^application\/x-www-form-urlencoded\b/i.test(type))
      return readFormFields(new URLSearchParams(await request.text()).entries(), definition.fake);
    if (/^multipart\/form-data\b/i.test(type))
      return readFormFields((await request.formData()).entries(), definition.fake);
    const value: unknown = await request.json().catch(() => undefined);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  };

  const answer = async (request: Request): Promise<Response | undefined> => {
    const url = new URL(request.url);
    if (shape?.serves(url) && request.method === 'GET') {
      // a long-poll the client gave up (its collection stopped): nobody reads this answer, and
      // throwing would make MSW log the abort as a handler failure in every test run
      return shape.answer(url, request.signal).catch((error: unknown) => {
        if (request.signal.aborted) return new Response(null, { status: 499 });
        throw error;
      });
    }
    const path = pathOf(url);
    if (path === undefined) return undefined;
    const method = request.method.toUpperCase();

    if (routes.list && method === routes.list.method && compiled.list!.match(path)) {
      return HttpResponse.json(listAnswer(routes.list, [...table.values()], url.searchParams, pageSize, key) as never, {
        status: routes.list.status,
      });
    }
    if (routes.create && method === routes.create.method && compiled.create!.match(path)) {
      const input = await body(request);
      // What the client leaves out, the "server" fills in: its own fields and a key, when not sent.
      const row: Record<string, unknown> = { ...fakeRow(definition.fake, 1_000_000 + ++created), ...input };
      if (input[key] === undefined) row[key] = freshKey(definition.fake, table, created);
      if (table.has(idOf(row[key])))
        return HttpResponse.json(
          { error: 'conflict', message: `a row with ${key} ${idOf(row[key])} exists` },
          { status: 409 },
        );
      return HttpResponse.json(row as never, { status: routes.create.status, headers: withTxid(put(row, 'insert')) });
    }
    for (const kind of ['get', 'update', 'remove'] as const) {
      const route = routes[kind];
      const params = route && method === route.method ? compiled[kind]!.match(path) : undefined;
      if (!route || !params) continue;
      const id = params[route.idParam] ?? '';
      const current = table.get(id);
      if (!current) return notFound(id);
      if (kind === 'get') return HttpResponse.json(current as never, { status: route.status });
      if (kind === 'update') {
        const input = await body(request);
        // PATCH merges; so does PUT, since its body leaves out the fields the server owns (readOnly).
        const row = { ...current, ...input, [key]: current[key] };
        return HttpResponse.json(row as never, { status: route.status, headers: withTxid(put(row, 'update')) });
      }
      table.delete(id);
      let removed: number | undefined;
      if (shape) shape.remove(id, (removed = ++txid));
      return route.status === 204
        ? new HttpResponse(null, { status: 204, headers: withTxid(removed) })
        : HttpResponse.json(current as never, { status: route.status, headers: withTxid(removed) });
    }
    return undefined;
  };

  return {
    handlers: [http.all('*', ({ request }) => answer(request))],
    rows: () => [...table.values()].map((row) => ({ ...row }) as T),
    reset,
    shape,
  };
}

/** `/todos/{id}` → a matcher giving `{ id }` for `/todos/7`; literal parts match exactly. */
function compile(template: string): { match(path: string): Record<string, string> | undefined } {
  const names: string[] = [];
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]);
      return '([^/]+)';
    })
    .join('');
  const pattern = new RegExp(`^${source.replace(/\/+$/, '')}/?$`);
  return {
    match(path) {
      const found = pattern.exec(path);
      if (!found) return undefined;
      return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])]));
    },
  };
}

function listAnswer(
  route: NonNullable<MockRoutes['list']>,
  all: Record<string, unknown>[],
  query: URLSearchParams,
  pageSize: number,
  key: string,
): unknown {
  const rows = all.filter((row) =>
    route.filters.every((name) => !query.has(name) || query.getAll(name).includes(String(row[name]))),
  );
  const page = pageOf(route.paging, rows, query, pageSize, key);
  if (route.itemsPath.length === 0) return page.rows;
  const [itemsKey] = route.itemsPath;
  const wrapper: Record<string, unknown> = { ...route.wrapper, [itemsKey]: page.rows };
  for (const name of Object.keys(wrapper))
    if (/^(count|total|total_?count|totalCount)$/i.test(name) && typeof wrapper[name] === 'number')
      wrapper[name] = rows.length;
  if (route.paging?.kind === 'cursor') {
    if (route.paging.nextField) wrapper[route.paging.nextField] = page.next ?? null;
    if (route.paging.moreField) wrapper[route.paging.moreField] = page.next !== undefined;
  }
  return wrapper;
}

function pageOf(
  paging: MockPaging | undefined,
  rows: Record<string, unknown>[],
  query: URLSearchParams,
  pageSize: number,
  key: string,
): { rows: unknown[]; next?: string } {
  if (!paging) return { rows };
  const number = (name: string | undefined, fallback: number) => {
    const value = name === undefined ? NaN : Number(query.get(name));
    return query.has(name ?? '') && Number.isFinite(value) ? value : fallback;
  };
  if (paging.kind === 'cursor') {
    const cursor = query.get(paging.param);
    // A next-cursor answer gets an opaque position; a has-more answer pages after the named row.
    const start =
      cursor === null || cursor === ''
        ? 0
        : paging.nextField
          ? Number(cursor) || 0
          : rows.findIndex((row) => String(row[key]) === cursor) + 1;
    const end = start + pageSize;
    return { rows: rows.slice(start, end), next: end < rows.length ? String(end) : undefined };
  }
  const limit = Math.max(1, number(paging.limitParam, pageSize));
  const position = number(paging.param, paging.first);
  const start = paging.kind === 'page' ? (position - paging.first) * limit : position - paging.first;
  return { rows: rows.slice(Math.max(0, start), Math.max(0, start) + limit) };
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(after).filter(([name, value]) => JSON.stringify(before[name]) !== JSON.stringify(value)),
  );
}

function freshKey(fake: FakeModel, table: Map<string, unknown>, n: number): unknown {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = fakeRow<Record<string, unknown>>(fake, 2_000_000 + n * 101 + attempt)[fake.key];
    if (!table.has(String(value))) return value;
  }
  const numbers = [...table.keys()].map(Number).filter(Number.isInteger);
  return Math.max(0, ...numbers) + 1;
}
