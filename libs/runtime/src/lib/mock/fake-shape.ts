/**
 * An in-memory stand-in for one Electric shape, for the tests sync-patterns generates for live
 * models (and your own): it speaks enough of Electric's HTTP Shape API — snapshot, offsets, handle,
 * long-polled live requests, up-to-date, txids on changes — for the real `@electric-sql/client`
 * inside a live collection to sync from it. Changes are made by the test, each with the txid a
 * write endpoint would have answered, so a collection's optimistic writes can be seen to settle.
 */
export type FakeRow = Record<string, unknown>;

export interface FakeShapeRequest {
  table: string | null;
  columns: string[] | null;
  where: string | null;
  offset: string;
  live: boolean;
}

export interface FakeShape {
  /** Routes requests to the shape URL (default path `/v1/shape`) here and every other to `next`. */
  fetchWith(next: typeof fetch): typeof fetch;
  /** Whether a URL is this shape's endpoint (the path, and the table when the shape was given one). */
  serves(url: URL): boolean;
  /** Answers one shape request (for request interceptors such as MSW). */
  answer(url: URL, signal?: AbortSignal | null): Promise<Response>;
  insert(row: FakeRow, txid?: number): void;
  update(key: string | number, changes: FakeRow, txid?: number): void;
  remove(key: string | number, txid?: number): void;
  /** The shape's rows now, by key. */
  readonly rows: ReadonlyMap<string, FakeRow>;
  /** Every shape request seen, oldest first. */
  readonly requests: readonly FakeShapeRequest[];
}

interface LoggedChange {
  key: string;
  value: FakeRow;
  /** An update's whole row after it (sent instead of `value` when replica=full). */
  row?: FakeRow;
  headers: { operation: 'insert' | 'update' | 'delete'; txids?: number[] };
}

export interface FakeShapeOptions {
  key: string;
  /** The shape endpoint's path. Default `/v1/shape`. */
  path?: string;
  handle?: string;
  /** Serve requests for this table only (several fake shapes behind one interceptor). */
  table?: string;
  /** End a live request with no changes after this long, as Electric does (default: wait for a change). */
  longPollMs?: number;
}

export function createFakeShape(options: FakeShapeOptions): FakeShape {
  const shapePath = options.path ?? '/v1/shape';
  const handle = options.handle ?? 'fake-shape-1';
  const rows = new Map<string, FakeRow>();
  const log: LoggedChange[] = [];
  const requests: FakeShapeRequest[] = [];
  let wake = new Set<() => void>();

  const record = (change: LoggedChange) => {
    log.push(change);
    const waiting = wake;
    wake = new Set();
    for (const resume of waiting) resume();
  };
  const keyOf = (key: unknown) => String(key);
  const txids = (txid: number | undefined) => (txid === undefined ? {} : { txids: [txid] });

  async function answer(url: URL, signal: AbortSignal | null | undefined): Promise<Response> {
    const params = url.searchParams;
    const request: FakeShapeRequest = {
      table: params.get('table'),
      columns: params.has('columns') ? columnList(params.get('columns')!) : null,
      where: params.get('where'),
      offset: params.get('offset') ?? '-1',
      live: params.get('live') === 'true',
    };
    requests.push(request);
    // as Electric: an insert carries every requested column (NULL, null, where the row has no value),
    // an update only the key and the columns it changed
    const project = (row: FakeRow, whole = true) =>
      request.columns
        ? Object.fromEntries(request.columns.filter((c) => whole || c in row).map((c) => [c, row[c] ?? null]))
        : { ...row };
    const headers: Record<string, string> = {
      'electric-handle': handle,
      'content-type': 'application/json',
    };

    if (request.offset === '-1') {
      const snapshot = [...rows.entries()].map(([key, row]) => ({
        key,
        value: project(row),
        headers: { operation: 'insert' },
      }));
      return reply([...snapshot, { headers: { control: 'up-to-date' } }], {
        ...headers,
        'electric-schema': '{}',
        'electric-offset': `${log.length}_0`,
        'electric-up-to-date': '',
      });
    }
    const full = params.get('replica') === 'full';
    const from = Number.parseInt(request.offset, 10);
    if (params.get('handle') !== handle || !Number.isSafeInteger(from) || from > log.length) {
      return reply([{ headers: { control: 'must-refetch' } }], headers, 409);
    }
    if (request.live && from === log.length) await changeOrAbort(signal, options.longPollMs);
    if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
    const changes = log.slice(from).map((c) => ({
      ...c,
      // replica=full: an update carries the whole row
      value:
        c.headers.operation === 'delete'
          ? c.value
          : full && c.row
            ? project(c.row)
            : project(c.value, c.headers.operation === 'insert'),
    }));
    const extra: Record<string, string> = request.live
      ? { 'electric-cursor': String(log.length) }
      : { 'electric-schema': '{}' };
    return reply([...changes, { headers: { control: 'up-to-date' } }], {
      ...headers,
      ...extra,
      'electric-offset': `${log.length}_0`,
      'electric-up-to-date': '',
    });
  }

  function changeOrAbort(signal: AbortSignal | null | undefined, limitMs: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = limitMs === undefined ? undefined : setTimeout(() => done(), limitMs);
      const done = () => {
        clearTimeout(timer);
        wake.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      wake.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  const serves = (url: URL) =>
    url.pathname.endsWith(shapePath) &&
    (options.table === undefined || url.searchParams.get('table') === options.table);

  return {
    fetchWith(next) {
      return (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(
          typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
          'http://fake.invalid',
        );
        return serves(url) ? answer(url, init?.signal) : next(input, init);
      }) as typeof fetch;
    },
    serves,
    answer,
    insert(row, txid) {
      const key = keyOf(row[options.key]);
      rows.set(key, { ...row });
      record({
        key,
        value: { ...row },
        headers: { operation: 'insert', ...txids(txid) },
      });
    },
    update(key, changes, txid) {
      const id = keyOf(key);
      const current = rows.get(id);
      if (!current) throw new Error(`fake shape: no row ${id} to update`);
      const row = { ...current, ...changes };
      rows.set(id, row);
      // Electric sends the key and the changed columns only (the whole row with replica=full)
      record({
        key: id,
        value: { [options.key]: current[options.key], ...changes },
        row,
        headers: { operation: 'update', ...txids(txid) },
      });
    },
    remove(key, txid) {
      const id = keyOf(key);
      const current = rows.get(id);
      if (!current) throw new Error(`fake shape: no row ${id} to delete`);
      rows.delete(id);
      record({
        key: id,
        value: { [options.key]: current[options.key] },
        headers: { operation: 'delete', ...txids(txid) },
      });
    },
    get rows() {
      return rows;
    },
    get requests() {
      return requests;
    },
  };
}

function reply(body: unknown, headers: Record<string, string>, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers });
}

/** `id,"Title"` → ['id', 'Title'] (Electric's client may quote column names). */
function columnList(value: string): string[] {
  return [...value.matchAll(/"((?:[^"]|"")*)"|([^,]+)/g)].map((m) =>
    m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2].trim(),
  );
}
