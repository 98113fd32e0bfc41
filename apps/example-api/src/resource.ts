import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Access } from './auth/access';
import { forbidden, unauthenticated, type Principal } from './auth/principal';
import type { Database, Queryable } from './database';
import { idempotencyKeyOf, once, REPLAYED_HEADER, type WriteAnswer } from './idempotency';
import { NotFound, PreconditionFailed } from './problems';
import { entityTagOf, preconditionHolds, preconditionOf } from './preconditions';

/** One table exposed as list/create/get/patch/delete under `path`. */
export interface ResourceSpec {
  path: string;
  table: string;
  /** Singular noun for error messages. */
  noun: string;
  /** Columns answered, in order. Identifiers here are constants of this app, never user input. */
  columns: readonly string[];
  /** Columns only staff read and write (left out of everyone else's answers; 403 in their writes). */
  staffColumns?: readonly string[];
  /** Columns everyone reads but only staff write (a user's role). */
  staffWrites?: readonly string[];
  createBody: object;
  patchBody: object;
  listQuery: object;
  /** Query parameters that filter the list by the equally named column. */
  filters: readonly string[];
  /** `offset` wraps the list as `{ data, count }` and honours offset/limit. */
  pagination: 'none' | 'offset';
  /** A column set to now() on every update. */
  touch?: string;
  /**
   * The column carrying the row's version (bumped by a trigger on every update): answered as the
   * ETag, and an update or delete with If-Match applies only while it matches (else 412 with the row).
   */
  version?: string;
  access: Access;
}

export const TXID_HEADER = 'x-sync-txid';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signed-in principal of a request (set by the app's authentication hook); 401 without one. */
export function principal(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

/**
 * Every write runs in a transaction that also reads `pg_current_xact_id()`, answered in the
 * `X-Sync-Txid` header: live-mode clients match their optimistic rows against the txids that
 * Electric reports for the replicated change. Cast to `xid` (32 bits, without the epoch), the form
 * Electric reports. A write with an `Idempotency-Key` runs once per key and user (see idempotency.ts).
 */
export async function write(
  db: Database,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  work: (tx: Queryable) => Promise<unknown>,
  /** The ETag of the answered row (its version), on the first answer and on replays alike. */
  etagOf?: (body: unknown) => string | undefined,
): Promise<FastifyReply> {
  const key = idempotencyKeyOf(request.headers);
  const answer = await db.transaction((tx) =>
    once(
      tx,
      key,
      { user: request.principal?.userId, method: request.method, path: request.url, body: request.body },
      async (): Promise<WriteAnswer> => {
        const body = await work(tx);
        const [{ txid }] = await tx.query<{ txid: string }>('select pg_current_xact_id()::xid::text as txid');
        return { status, txid, body };
      },
    ),
  );
  if (answer.replayed) reply.header(REPLAYED_HEADER, 'true');
  const etag = etagOf?.(answer.body);
  if (etag) reply.header('etag', etag);
  reply.code(answer.status).header(TXID_HEADER, answer.txid);
  return answer.status === 204 ? reply.send() : reply.send(answer.body);
}

export function registerResource(app: FastifyInstance, db: Database, spec: ResourceSpec): void {
  const staffColumns = new Set(spec.staffColumns ?? []);
  const readable = (p: Principal) => spec.columns.filter((c) => p.staff || !staffColumns.has(c)).join(', ');
  const idParam = (params: unknown): string => {
    const id = (params as { id: string }).id;
    if (!UUID.test(id)) throw new NotFound(spec.noun);
    return id;
  };
  /** Refuses fields this principal may not write, naming them. */
  const checkFields = (p: Principal, body: Record<string, unknown>) => {
    if (p.staff) return;
    const refused = Object.keys(body).filter((name) => staffColumns.has(name) || spec.staffWrites?.includes(name));
    if (refused.length) throw forbidden(`Only staff write ${refused.join(', ')}`);
  };
  /** `where` clause and parameters of the rows `p` sees, after `params` already bound. */
  const scope = (p: Principal, conditions: string[], params: unknown[]) => {
    const visible = spec.access.visible(p, params.length + 1);
    if (visible === undefined) return { clause: conditions.length ? ` where ${conditions.join(' and ')}` : '', params };
    return { clause: ` where ${[...conditions, visible].join(' and ')}`, params: [...params, p.userId] };
  };
  /** A written row's ETag: its version as an entity-tag. */
  const versionTag = (row: unknown) =>
    spec.version && typeof row === 'object' && row !== null
      ? entityTagOf((row as Record<string, unknown>)[spec.version])
      : undefined;
  /** The row as `p` may read it. */
  const readableRow = (p: Principal, row: Record<string, unknown>) =>
    Object.fromEntries(spec.columns.filter((c) => p.staff || !staffColumns.has(c)).map((c) => [c, row[c]]));
  /** A write's If-Match against the locked row: 412 with the row as it stands when it moved on. */
  const checkPrecondition = (request: FastifyRequest, p: Principal, row: Record<string, unknown>) => {
    if (!spec.version) return;
    if (!preconditionHolds(preconditionOf(request.headers), row[spec.version]))
      throw new PreconditionFailed(readableRow(p, row));
  };
  /** The row with this id if `p` sees it (locked for the write that follows); 404 otherwise. */
  const visibleRow = async (tx: Queryable, p: Principal, id: string, lock: boolean) => {
    const { clause, params } = scope(p, ['id = $1'], [id]);
    const [row] = await tx.query(`select * from ${spec.table}${clause}${lock ? ' for update' : ''}`, params);
    if (!row) throw new NotFound(spec.noun);
    return row;
  };

  app.get(spec.path, { schema: { querystring: spec.listQuery } }, async (request) => {
    const p = principal(request);
    const query = request.query as Record<string, unknown>;
    const conditions: string[] = [];
    const filterParams: unknown[] = [];
    for (const filter of spec.filters) {
      if (query[filter] === undefined) continue;
      filterParams.push(query[filter]);
      conditions.push(`${filter} = $${filterParams.length}`);
    }
    const { clause, params } = scope(p, conditions, filterParams);
    const order = ' order by created_at, id';
    if (spec.pagination === 'none')
      return db.query(`select ${readable(p)} from ${spec.table}${clause}${order}`, params);
    const [{ count }] = await db.query<{ count: number }>(
      `select count(*)::int as count from ${spec.table}${clause}`,
      params,
    );
    const page = [...params, query['limit'], query['offset']];
    const data = await db.query(
      `select ${readable(p)} from ${spec.table}${clause}${order} limit $${page.length - 1} offset $${page.length}`,
      page,
    );
    return { data, count };
  });

  app.get(`${spec.path}/:id`, async (request, reply) => {
    const p = principal(request);
    const { clause, params } = scope(p, ['id = $1'], [idParam(request.params)]);
    const [row] = await db.query<Record<string, unknown>>(`select ${readable(p)} from ${spec.table}${clause}`, params);
    if (!row) throw new NotFound(spec.noun);
    if (spec.version) reply.header('etag', entityTagOf(row[spec.version]));
    return row;
  });

  app.post(spec.path, { schema: { body: spec.createBody } }, async (request, reply) => {
    const p = principal(request);
    const body = request.body as Record<string, unknown>;
    checkFields(p, body);
    const names = Object.keys(body);
    const values = names.map((name) => body[name]);
    return write(db, request, reply, 201, async (tx) => {
      await spec.access.mayCreate(tx, p, body);
      const [row] = await tx.query(
        `insert into ${spec.table} (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')}) returning ${readable(p)}`,
        values,
      );
      return row;
    });
  });

  app.patch(`${spec.path}/:id`, { schema: { body: spec.patchBody } }, async (request, reply) => {
    const p = principal(request);
    const id = idParam(request.params);
    const body = request.body as Record<string, unknown>;
    checkFields(p, body);
    const names = Object.keys(body);
    const sets = names.map((name, i) => `${name} = $${i + 2}`);
    if (spec.touch) sets.push(`${spec.touch} = now()`);
    preconditionOf(request.headers); // a malformed If-Match is refused before anything else
    return write(
      db,
      request,
      reply,
      200,
      async (tx) => {
        const current = await visibleRow(tx, p, id, true);
        spec.access.mayChange(p, current);
        checkPrecondition(request, p, current);
        // An empty patch on a table without a touched column answers the current row.
        const sql = sets.length
          ? `update ${spec.table} set ${sets.join(', ')} where id = $1 returning ${readable(p)}`
          : `select ${readable(p)} from ${spec.table} where id = $1`;
        const [row] = await tx.query(sql, [id, ...names.map((name) => body[name])]);
        return row;
      },
      versionTag,
    );
  });

  app.delete(`${spec.path}/:id`, async (request, reply) => {
    const p = principal(request);
    const id = idParam(request.params);
    preconditionOf(request.headers);
    return write(db, request, reply, 204, async (tx) => {
      const current = await visibleRow(tx, p, id, true);
      spec.access.mayChange(p, current);
      checkPrecondition(request, p, current);
      await tx.query(`delete from ${spec.table} where id = $1`, [id]);
    });
  });
}
