import { holdWriters } from './change-capture';
import type { Queryable, ShapeSource } from './source';
import { qualified, quoteIdent } from './sql-identifiers';
import type { TableSchema } from './table-schema';

/** One shape: a table, an optional where clause with its parameters, the columns to send. */
export interface ShapeDefinition {
  table: TableSchema;
  /** The schema holding the change log (quoted when used). */
  logSchema: string;
  where?: string;
  params: string[];
  columns: string[];
}

export type ShapeMessage =
  | {
      headers: {
        operation: 'insert' | 'update' | 'delete';
        lsn?: string;
        op_position?: number;
        last?: boolean;
        txids?: number[];
      };
      key: string;
      value: Record<string, string | null>;
    }
  | { headers: { control: 'up-to-date' | 'must-refetch' } }
  | { headers: { control: 'snapshot-end'; xmin: string; xmax: string; xip_list: string[] } };

export interface LogPosition {
  /** The last change id the messages cover: the next request's offset is `${last}_0`. */
  last: bigint;
}

/** Electric formats values as Postgres displays them, with these settings. */
const DISPLAY = [
  `SET LOCAL DateStyle = 'ISO, DMY'`,
  `SET LOCAL TimeZone = 'UTC'`,
  `SET LOCAL IntervalStyle = 'iso_8601'`,
  `SET LOCAL extra_float_digits = 1`,
];
const BATCH = 1000;

/** The shape's rows as they are now, as inserts, and the log position they are consistent with. */
export async function snapshot(
  db: ShapeSource,
  shape: ShapeDefinition,
): Promise<{ messages: ShapeMessage[]; position: LogPosition }> {
  return db.transaction(async (tx) => {
    await holdWriters(tx);
    for (const statement of DISPLAY) await tx.query(statement);
    const rows = await tx.query<{ value: Record<string, string | null> }>(
      `SELECT ${valueObject(shape, 't')} AS value FROM ${qualified(shape.table.name)} AS t
        ${shape.where ? `WHERE (${shape.where})` : ''}
        ORDER BY ${shape.table.primaryKey.map((k) => `t.${quoteIdent(k)}`).join(', ')}`,
      shape.params,
    );
    const [last] = await tx.query<{ id: string }>(
      `SELECT coalesce(max(id), 0)::text AS id FROM ${quoteIdent(shape.logSchema)}.sync_changes`,
    );
    // which transactions the rows include, as Electric tells it: a client waiting for the txid of a
    // write that reached it through a snapshot (after a 409) sees it there. Writers are held, so
    // this snapshot and the rows' agree on every captured table. xid, not xid8: the txids' form.
    const [visible] = await tx.query<{ xmin: string; xmax: string; xip: string[] }>(
      `SELECT pg_snapshot_xmin(s)::xid::text AS xmin, pg_snapshot_xmax(s)::xid::text AS xmax,
              coalesce((SELECT array_agg(x::xid::text ORDER BY x) FROM pg_snapshot_xip(s) AS x), '{}') AS xip
         FROM pg_current_snapshot() AS s`,
    );
    const messages: ShapeMessage[] = rows.map(({ value }) => ({
      headers: { operation: 'insert' as const },
      key: rowKey(shape, value),
      value,
    }));
    messages.push({
      headers: { control: 'snapshot-end', xmin: visible.xmin, xmax: visible.xmax, xip_list: visible.xip },
    });
    return { messages, position: { last: BigInt(last.id) } };
  });
}

/**
 * The shape's changes after `after`, as Electric would send them: an update that moves a row into
 * the where clause is an insert, one that moves it out a delete.
 */
export async function changesAfter(
  db: ShapeSource,
  shape: ShapeDefinition,
  after: bigint,
): Promise<{ messages: ShapeMessage[]; position: LogPosition; more: boolean }> {
  return db.transaction(async (tx) => {
    for (const statement of DISPLAY) await tx.query(statement);
    // read up to the log's end as of now: later commits are for the next request, never skipped
    const [end] = await tx.query<{ id: string }>(
      `SELECT coalesce(max(id), 0)::text AS id FROM ${quoteIdent(shape.logSchema)}.sync_changes`,
    );
    const n = shape.params.length;
    const matches = (alias: string, column: string) =>
      `(c.${column} IS NOT NULL AND EXISTS (SELECT 1 FROM jsonb_populate_record(NULL::${qualified(shape.table.name)}, c.${column}) AS ${alias}${shape.where ? ` WHERE (${shape.where})` : ''}))`;
    const rows = await tx.query<{
      id: string;
      txid: string;
      op: 'insert' | 'update' | 'delete';
      was_in: boolean;
      is_in: boolean;
      value: Record<string, string | null> | null;
      old_key: Record<string, string | null> | null;
    }>(
      `SELECT c.id::text AS id, c.txid::xid::text AS txid, c.op, ${matches('t', 'old_row')} AS was_in, ${matches('t', 'new_row')} AS is_in,
              (SELECT ${valueObject(shape, 't')} FROM jsonb_populate_record(NULL::${qualified(shape.table.name)}, c.new_row) AS t) AS value,
              (SELECT ${keyObject(shape, 't')} FROM jsonb_populate_record(NULL::${qualified(shape.table.name)}, c.old_row) AS t) AS old_key
         FROM ${quoteIdent(shape.logSchema)}.sync_changes c
        WHERE c.table_schema = $${n + 1} AND c.table_name = $${n + 2} AND c.id > $${n + 3}::bigint AND c.id <= $${n + 4}::bigint
        ORDER BY c.id LIMIT ${BATCH + 1}`,
      [...shape.params, shape.table.name.schema, shape.table.name.table, after.toString(), end.id],
    );
    const more = rows.length > BATCH;
    const batch = rows.slice(0, BATCH);
    const last = more ? batch[batch.length - 1] : end;
    const messages: ShapeMessage[] = [];
    for (const row of batch) {
      const headers = { lsn: row.id, op_position: 0, last: true, txids: [Number(row.txid)] };
      const value = row.value ?? {};
      if (row.is_in && (row.op === 'insert' || !row.was_in))
        messages.push({ headers: { operation: 'insert', ...headers }, key: rowKey(shape, value), value });
      else if (row.is_in && row.was_in)
        messages.push({ headers: { operation: 'update', ...headers }, key: rowKey(shape, value), value });
      else if (row.was_in && row.old_key)
        messages.push({
          headers: { operation: 'delete', ...headers },
          key: rowKey(shape, row.old_key),
          value: row.old_key,
        });
    }
    // the position moves past changes of other tables too, so an idle shape does not re-read them
    return { messages, position: { last: BigInt(last.id) }, more };
  });
}

/** `{"id": "1", "title": "…"}`: every sent column as Postgres' text, null as null. */
function valueObject(shape: ShapeDefinition, alias: string): string {
  return `json_build_object(${shape.columns.map((c) => `'${c.replace(/'/g, "''")}', ${alias}.${quoteIdent(c)}::text`).join(', ')})`;
}

function keyObject(shape: ShapeDefinition, alias: string): string {
  return `json_build_object(${shape.table.primaryKey.map((c) => `'${c.replace(/'/g, "''")}', ${alias}.${quoteIdent(c)}::text`).join(', ')})`;
}

/** Electric's row key: `"schema"."table"/"pk1"/"pk2"`. */
function rowKey(shape: ShapeDefinition, value: Record<string, string | null>): string {
  return `${qualified(shape.table.name)}/${shape.table.primaryKey.map((k) => `"${String(value[k] ?? '').replace(/"/g, '""')}"`).join('/')}`;
}

export type { Queryable };
