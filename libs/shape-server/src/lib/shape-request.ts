import { parseTableName } from './sql-identifiers';

/** Electric's shape request (GET /v1/shape query parameters), checked. */
export interface ShapeRequest {
  /** Without a schema in the request, the handler's default schema applies (Electric: public). */
  table: { schema?: string; table: string };
  offset: { kind: 'initial' } | { kind: 'now' } | { kind: 'after'; id: bigint };
  handle?: string;
  live: boolean;
  where?: string;
  params: string[];
  columns?: string[];
}

export class BadRequest extends Error {}

/** Caps on what one request may ask (Node's own 16 KiB header limit caps the URL as a whole). */
export const LIMITS = { where: 4096, params: 100, param: 4096, columns: 1000 };

export function parseShapeRequest(query: URLSearchParams): ShapeRequest {
  const tableParam = query.get('table');
  if (!tableParam) throw new BadRequest('the table parameter is required (e.g. table=todos or table=app.todos)');
  const table = parseTableName(tableParam, null);
  if (!table) throw new BadRequest(`table: "${tableParam}" is not a table name`);
  const offset = parseOffset(query.get('offset'));
  const handle = query.get('handle') ?? undefined;
  if (offset.kind === 'after' && !handle) throw new BadRequest('handle: required when offset is neither -1 nor now');
  const where = query.get('where')?.trim() || undefined;
  if (where && where.length > LIMITS.where) throw new BadRequest(`where: longer than ${LIMITS.where} characters`);
  const params = whereParams(query);
  const columns = query.has('columns') ? parseColumns(query.get('columns')!) : undefined;
  if (columns && columns.length > LIMITS.columns) throw new BadRequest(`columns: more than ${LIMITS.columns}`);
  return { table, offset, handle, live: query.get('live') === 'true', where, params, columns };
}

function parseOffset(value: string | null): ShapeRequest['offset'] {
  if (value === null)
    throw new BadRequest(
      'the offset parameter is required: -1 for a new shape, else the last electric-offset received',
    );
  if (value === '-1') return { kind: 'initial' };
  if (value === 'now') return { kind: 'now' };
  const match = /^([0-9]+)_([0-9]+|inf)$/.exec(value);
  if (!match) throw new BadRequest(`offset: "${value}" is not an offset (-1, now, or <number>_<number>)`);
  return { kind: 'after', id: BigInt(match[1]) };
}

/** `params[1]=a&params[2]=b` → ['a', 'b']; numbering must start at 1 without gaps. */
function whereParams(query: URLSearchParams): string[] {
  const byIndex = new Map<number, string>();
  for (const [key, value] of query) {
    const match = /^params\[([1-9][0-9]*)\]$/.exec(key);
    if (!match) continue;
    if (byIndex.size >= LIMITS.params) throw new BadRequest(`params: more than ${LIMITS.params}`);
    if (value.length > LIMITS.param)
      throw new BadRequest(`params[${match[1]}]: longer than ${LIMITS.param} characters`);
    byIndex.set(Number(match[1]), value);
  }
  const params: string[] = [];
  for (let i = 1; i <= byIndex.size; i++) {
    if (!byIndex.has(i)) throw new BadRequest(`params: $${i} is missing (parameters are numbered from 1 without gaps)`);
    params.push(byIndex.get(i)!);
  }
  return params;
}

/** `id,"Title",done` → ['id', 'Title', 'done']: quoted names keep their case, bare ones are folded. */
function parseColumns(value: string): string[] {
  const out: string[] = [];
  const pattern = /\s*(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))\s*(,|$)/y;
  let index = 0;
  while (index < value.length) {
    pattern.lastIndex = index;
    const match = pattern.exec(value);
    if (!match) throw new BadRequest(`columns: cannot read "${value}" (a comma-separated list of column names)`);
    out.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].toLowerCase());
    index = pattern.lastIndex;
    if (match[3] === '') break;
  }
  return out;
}
