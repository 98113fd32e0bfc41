import type { FastifyInstance } from 'fastify';
import type { Database, Queryable } from './database';
import { NotFound } from './problems';

/** One table exposed as list/create/get/patch/delete under `path`. */
export interface ResourceSpec {
  path: string;
  table: string;
  /** Singular noun for error messages. */
  noun: string;
  /** Columns answered, in order. Identifiers here are constants of this app, never user input. */
  columns: readonly string[];
  createBody: object;
  patchBody: object;
  listQuery: object;
  /** Query parameters that filter the list by the equally named column. */
  filters: readonly string[];
  /** `offset` wraps the list as `{ data, count }` and honours offset/limit. */
  pagination: 'none' | 'offset';
  /** A column set to now() on every update. */
  touch?: string;
}

export const TXID_HEADER = 'x-sync-txid';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every write runs in a transaction that also reads `pg_current_xact_id()`, answered in the
 * `X-Sync-Txid` header: live-mode clients match their optimistic rows against the txids that
 * Electric reports for the replicated change. Cast to `xid` (32 bits, without the epoch), the form
 * Electric reports.
 */
async function write<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<{ result: T; txid: string }> {
  return db.transaction(async (tx) => {
    const result = await work(tx);
    const [{ txid }] = await tx.query<{ txid: string }>('select pg_current_xact_id()::xid::text as txid');
    return { result, txid };
  });
}

export function registerResource(app: FastifyInstance, db: Database, spec: ResourceSpec): void {
  const select = spec.columns.join(', ');
  const idParam = (params: unknown): string => {
    const id = (params as { id: string }).id;
    if (!UUID.test(id)) throw new NotFound(spec.noun);
    return id;
  };
  const one = async (tx: Queryable, sql: string, params: unknown[]) => {
    const [row] = await tx.query(sql, params);
    if (!row) throw new NotFound(spec.noun);
    return row;
  };

  app.get(spec.path, { schema: { querystring: spec.listQuery } }, async (request) => {
    const query = request.query as Record<string, unknown>;
    const where: string[] = [];
    const params: unknown[] = [];
    for (const filter of spec.filters) {
      if (query[filter] === undefined) continue;
      params.push(query[filter]);
      where.push(`${filter} = $${params.length}`);
    }
    const clause = where.length ? ` where ${where.join(' and ')}` : '';
    const order = ' order by created_at, id';
    if (spec.pagination === 'none') return db.query(`select ${select} from ${spec.table}${clause}${order}`, params);
    const [{ count }] = await db.query<{ count: number }>(`select count(*)::int as count from ${spec.table}${clause}`, params);
    const page = [...params, query['limit'], query['offset']];
    const data = await db.query(`select ${select} from ${spec.table}${clause}${order} limit $${page.length - 1} offset $${page.length}`, page);
    return { data, count };
  });

  app.get(`${spec.path}/:id`, async (request) => one(db, `select ${select} from ${spec.table} where id = $1`, [idParam(request.params)]));

  app.post(spec.path, { schema: { body: spec.createBody } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const names = Object.keys(body);
    const values = names.map((name) => body[name]);
    const { result, txid } = await write(db, (tx) => one(tx, `insert into ${spec.table} (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')}) returning ${select}`, values));
    return reply.code(201).header(TXID_HEADER, txid).send(result);
  });

  app.patch(`${spec.path}/:id`, { schema: { body: spec.patchBody } }, async (request, reply) => {
    const id = idParam(request.params);
    const body = request.body as Record<string, unknown>;
    const names = Object.keys(body);
    const sets = names.map((name, i) => `${name} = $${i + 2}`);
    if (spec.touch) sets.push(`${spec.touch} = now()`);
    // An empty patch on a table without a touched column still answers the current row.
    const sql = sets.length ? `update ${spec.table} set ${sets.join(', ')} where id = $1 returning ${select}` : `select ${select} from ${spec.table} where id = $1`;
    const { result, txid } = await write(db, (tx) => one(tx, sql, [id, ...names.map((name) => body[name])]));
    return reply.header(TXID_HEADER, txid).send(result);
  });

  app.delete(`${spec.path}/:id`, async (request, reply) => {
    const id = idParam(request.params);
    const { txid } = await write(db, (tx) => one(tx, `delete from ${spec.table} where id = $1 returning id`, [id]));
    return reply.code(204).header(TXID_HEADER, txid).send();
  });
}
