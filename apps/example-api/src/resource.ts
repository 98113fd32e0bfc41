import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Queryable } from './database';
import { idempotencyKeyOf, once, REPLAYED_HEADER, type WriteAnswer } from './idempotency';
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
 * Electric reports. A write with an `Idempotency-Key` runs once per key (see idempotency.ts).
 */
async function write(db: Database, request: FastifyRequest, reply: FastifyReply, status: number, work: (tx: Queryable) => Promise<unknown>): Promise<FastifyReply> {
  const key = idempotencyKeyOf(request.headers);
  const answer = await db.transaction((tx) =>
    once(tx, key, { method: request.method, path: request.url, body: request.body }, async (): Promise<WriteAnswer> => {
      const body = await work(tx);
      const [{ txid }] = await tx.query<{ txid: string }>('select pg_current_xact_id()::xid::text as txid');
      return { status, txid, body };
    }),
  );
  if (answer.replayed) reply.header(REPLAYED_HEADER, 'true');
  reply.code(answer.status).header(TXID_HEADER, answer.txid);
  return answer.status === 204 ? reply.send() : reply.send(answer.body);
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
    return write(db, request, reply, 201, (tx) => one(tx, `insert into ${spec.table} (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')}) returning ${select}`, values));
  });

  app.patch(`${spec.path}/:id`, { schema: { body: spec.patchBody } }, async (request, reply) => {
    const id = idParam(request.params);
    const body = request.body as Record<string, unknown>;
    const names = Object.keys(body);
    const sets = names.map((name, i) => `${name} = $${i + 2}`);
    if (spec.touch) sets.push(`${spec.touch} = now()`);
    // An empty patch on a table without a touched column still answers the current row.
    const sql = sets.length ? `update ${spec.table} set ${sets.join(', ')} where id = $1 returning ${select}` : `select ${select} from ${spec.table} where id = $1`;
    return write(db, request, reply, 200, (tx) => one(tx, sql, [id, ...names.map((name) => body[name])]));
  });

  app.delete(`${spec.path}/:id`, async (request, reply) => {
    const id = idParam(request.params);
    return write(db, request, reply, 204, async (tx) => void (await one(tx, `delete from ${spec.table} where id = $1 returning id`, [id])));
  });
}
