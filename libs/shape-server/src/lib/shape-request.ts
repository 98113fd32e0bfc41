import { parseTableName } from './sql-identifiers';

/** Electric's shape request (query parameters, and a subset's JSON body on POST), checked. */
export interface ShapeRequest {
  /** Without a schema in the request, the handler's default schema applies (Electric: public). */
  table: { schema?: string; table: string };
  offset: ShapeOffset;
  handle?: string;
  live: boolean;
  /** `live_sse=true` (or the older `experimental_live_sse`): live changes as server-sent events. */
  liveSse: boolean;
  where?: string;
  params: string[];
  columns?: string[];
  replica: 'default' | 'full';
  log: 'full' | 'changes_only';
  /** A subset snapshot: rows of the shape matching these, answered once as `{ metadata, data }`. */
  subset?: SubsetRequest;
}

/**
 * Where a request starts. Offsets are opaque to clients; the server's are `0_<n>` within a shape's
 * snapshot (after its chunk n), `0_inf` right after the snapshot, and `<entry>_0` after a log entry.
 */
export type ShapeOffset =
  | { kind: 'initial' }
  | { kind: 'now' }
  | { kind: 'chunk'; after: number }
  | { kind: 'log'; after: bigint | 'snapshot' };

export interface SubsetRequest {
  where?: string;
  params: string[];
  orderBy?: string;
  limit?: number;
  offset?: number;
}

/** A 400, with Electric's body: a message, and the problem under the parameter it is about. */
export class BadRequest extends Error {
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
  }
}

/** Caps on what one request may ask (Node's own 16 KiB header limit caps the URL as a whole). */
export const LIMITS = { where: 4096, params: 100, param: 4096, columns: 1000, subsetRows: 100_000 };

export function parseShapeRequest(query: URLSearchParams, body?: unknown): ShapeRequest {
  const tableParam = query.get('table');
  if (!tableParam)
    throw new BadRequest('the table parameter is required (e.g. table=todos or table=app.todos)', 'table');
  const table = parseTableName(tableParam, null);
  if (!table) throw new BadRequest(`table: "${tableParam}" is not a table name`, 'table');
  const offset = parseOffset(query.get('offset'));
  const handle = query.get('handle') ?? undefined;
  if ((offset.kind === 'chunk' || offset.kind === 'log') && !handle)
    throw new BadRequest('handle: required when offset is neither -1 nor now', 'handle');
  const live = flag(query, 'live');
  const liveSse = flag(query, 'live_sse') || flag(query, 'experimental_live_sse');
  if (live && offset.kind === 'initial') throw new BadRequest("live: can't be true when offset == -1", 'live');
  if (live && offset.kind === 'now') throw new BadRequest("live: can't be true when offset is 'now'", 'live');
  if (liveSse && !live) throw new BadRequest("live_sse: can't be true unless live is also true", 'live_sse');
  const where = checkedWhere(query.get('where'), 'where');
  const params = numberedParams(
    [...query].flatMap(([key, value]) => {
      const match = /^params\[([1-9][0-9]*)\]$/.exec(key);
      return match ? [[match[1], value] as [string, unknown]] : [];
    }),
    'params',
  );
  const columns = query.has('columns') ? parseColumns(query.get('columns')!) : undefined;
  if (columns && columns.length > LIMITS.columns)
    throw new BadRequest(`columns: more than ${LIMITS.columns}`, 'columns');
  const replica = oneOf(query.get('replica') ?? 'default', ['default', 'full'] as const, 'replica');
  const log = oneOf(query.get('log') ?? 'full', ['full', 'changes_only'] as const, 'log');
  const subset = body !== undefined ? subsetFromBody(body) : subsetFromQuery(query);
  if (subset && live) throw new BadRequest('live: a subset snapshot is answered once, it cannot be live', 'live');
  return { table, offset, handle, live, liveSse, where, params, columns, replica, log, subset };
}

/** As Electric reads `live` and `live_sse`: any value but `false` is true. */
function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && value !== 'false';
}

function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new BadRequest(`${name}: "${value}" is not one of ${allowed.join(', ')}`, name);
}

function parseOffset(value: string | null): ShapeOffset {
  if (value === null)
    throw new BadRequest(
      'the offset parameter is required: -1 for a new shape, else the last electric-offset received',
      'offset',
    );
  if (value === '-1') return { kind: 'initial' };
  if (value === 'now') return { kind: 'now' };
  const match = /^([0-9]+)_([0-9]+|inf)$/.exec(value);
  if (!match) throw new BadRequest(`offset: "${value}" is not an offset (-1, now, or <number>_<number>)`, 'offset');
  const entry = BigInt(match[1]);
  if (entry > 0n) return { kind: 'log', after: entry };
  return match[2] === 'inf' ? { kind: 'log', after: 'snapshot' } : { kind: 'chunk', after: Number(match[2]) };
}

function checkedWhere(value: string | null | undefined, name: string): string | undefined {
  const where = value?.trim() || undefined;
  if (where && where.length > LIMITS.where)
    throw new BadRequest(`${name}: longer than ${LIMITS.where} characters`, name);
  return where;
}

/** `{1: 'a', 2: 'b'}` (or `params[1]=a&params[2]=b`) → ['a', 'b']: numbered from 1 without gaps. */
function numberedParams(entries: [string, unknown][], name: string): string[] {
  if (entries.length > LIMITS.params) throw new BadRequest(`${name}: more than ${LIMITS.params}`, name);
  const byIndex = new Map<number, string>();
  for (const [key, raw] of entries) {
    if (!/^[1-9][0-9]*$/.test(key)) throw new BadRequest(`${name}: "${key}" is not a parameter number`, name);
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
      throw new BadRequest(`${name}[${key}]: a parameter is a string or a number`, name);
    const value = String(raw);
    if (value.length > LIMITS.param)
      throw new BadRequest(`${name}[${key}]: longer than ${LIMITS.param} characters`, name);
    byIndex.set(Number(key), value);
  }
  const params: string[] = [];
  for (let i = 1; i <= byIndex.size; i++) {
    if (!byIndex.has(i))
      throw new BadRequest(`${name}: $${i} is missing (parameters are numbered from 1 without gaps)`, name);
    params.push(byIndex.get(i)!);
  }
  return params;
}

/** GET: `subset__where`, `subset__params` (JSON), `subset__limit`, `subset__offset`, `subset__order_by`. */
function subsetFromQuery(query: URLSearchParams): SubsetRequest | undefined {
  const names = ['where', 'params', 'limit', 'offset', 'order_by'];
  if (!names.some((n) => query.has(`subset__${n}`))) return undefined;
  let params: unknown = {};
  const rawParams = query.get('subset__params');
  if (rawParams !== null) {
    try {
      params = JSON.parse(rawParams);
    } catch {
      throw new BadRequest('subset__params: not JSON (an object of numbered parameters)', 'subset__params');
    }
  }
  return subset(
    {
      where: query.get('subset__where') ?? undefined,
      params,
      limit: query.get('subset__limit') ?? undefined,
      offset: query.get('subset__offset') ?? undefined,
      order_by: query.get('subset__order_by') ?? undefined,
    },
    'subset__',
  );
}

/** POST: `{ where, params, limit, offset, order_by }` (Electric's client since 1.5). */
function subsetFromBody(body: unknown): SubsetRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest('body: a subset request is a JSON object', 'body');
  return subset(body as Record<string, unknown>, '');
}

function subset(raw: Record<string, unknown>, prefix: string): SubsetRequest {
  const text = (name: string) => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new BadRequest(`${prefix}${name}: must be a string`, `subset.${name}`);
    return value;
  };
  const count = (name: string) => {
    const value = raw[name];
    if (value === undefined || value === null) return undefined;
    const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      throw new BadRequest(`${prefix}${name}: must be a whole number, 0 or more`, `subset.${name}`);
    return n;
  };
  const params = raw['params'] ?? {};
  const entries: [string, unknown][] = Array.isArray(params)
    ? params.map((value, i) => [String(i + 1), value])
    : typeof params === 'object' && params !== null
      ? Object.entries(params)
      : [];
  if (typeof params !== 'object' || params === null)
    throw new BadRequest(`${prefix}params: an object of numbered parameters`, 'subset.params');
  const limit = count('limit');
  if (limit !== undefined && limit > LIMITS.subsetRows)
    throw new BadRequest(`${prefix}limit: at most ${LIMITS.subsetRows}`, 'subset.limit');
  const orderBy = text('order_by');
  const offset = count('offset');
  if ((limit !== undefined || offset !== undefined) && !orderBy)
    throw new BadRequest(`${prefix}order_by: required when limit or offset is present`, 'subset.order_by');
  return {
    where: checkedWhere(text('where'), 'subset.where'),
    params: numberedParams(entries, 'subset.params'),
    orderBy,
    limit,
    offset,
  };
}

/** `id,"Title",done` → ['id', 'Title', 'done']: quoted names keep their case, bare ones are folded. */
function parseColumns(value: string): string[] {
  const out: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(,|$)/y;
  let index = 0;
  while (index < value.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(value);
    if (!match)
      throw new BadRequest(`columns: cannot read "${value}" (a comma-separated list of column names)`, 'columns');
    out.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].toLowerCase());
    index = pattern.lastIndex;
    if (match[3] === '') break;
  }
  return out;
}
