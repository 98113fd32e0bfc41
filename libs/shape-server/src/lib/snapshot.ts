import { holdWriters } from './change-capture';
import type { ShapeDefinition } from './shape-definition';
import { valueObject, type VisibleTransactions } from './shape-messages';
import type { Queryable } from './source';
import { qualified, quoteIdent } from './sql-identifiers';
import { renumberParams } from './where-clause';

/** Electric formats values as Postgres displays them, with these settings (for the transaction). */
export const DISPLAY = `SELECT set_config('DateStyle', 'ISO, DMY', true), set_config('TimeZone', 'UTC', true),
  set_config('IntervalStyle', 'iso_8601', true), set_config('extra_float_digits', '1', true),
  set_config('bytea_output', 'hex', true)`;

/** A part of the shape's rows: a subset snapshot's where, order and page. */
export interface RowSelection {
  /** false: no rows, only the position and the transactions (a changes-only shape). */
  rows?: boolean;
  where?: string;
  params?: string[];
  orderBy?: string;
  limit?: number;
  offset?: number;
}

export interface Snapshot {
  /** The rows as insert messages, each already JSON text (built by Postgres, cut in chunks as is). */
  messages: string[];
  /** The last log entry the rows include: the log is read after it. */
  position: bigint;
  /** Which transactions the rows include, as Postgres tells it (`pg_current_snapshot()`). */
  visible: VisibleTransactions;
}

/**
 * The shape's rows as they are now (or a selection of them), as inserts, with the log position and
 * the transactions they are consistent with. Runs in `tx` with writers held, so the rows, the
 * position and the snapshot agree on every captured table. `snapshotMark`: a subset's, put in
 * each row's headers.
 */
export async function readSnapshot(
  tx: Queryable,
  shape: ShapeDefinition,
  selection: RowSelection = {},
  snapshotMark?: number,
): Promise<Snapshot> {
  await holdWriters(tx);
  await tx.query(DISPLAY);
  const conditions = [shape.where, selection.where && renumberParams(selection.where, shape.params.length)].filter(
    (c): c is string => Boolean(c),
  );
  // without an order (a shape's snapshot), rows come in the table's own order, as from Electric
  const params = [...shape.params, ...(selection.params ?? [])];
  // the key's prefix and the headers are parameters too: no name is spliced into the SQL as text
  const prefix = `$${params.length + 1}`;
  const headers = `$${params.length + 2}::json`;
  const rowHeaders = {
    operation: 'insert',
    relation: [shape.table.name.schema, shape.table.name.table],
    ...(snapshotMark !== undefined ? { snapshot_mark: snapshotMark } : {}),
  };
  const rows =
    selection.rows === false
      ? []
      : await tx.query<{ message: string }>(
          `SELECT json_build_object('key', ${keyText(shape, 't', prefix)}, 'value', ${valueObject(shape.columns, 't')},
                  'headers', ${headers})::text AS message
             FROM ${qualified(shape.table.name)} AS t
            ${conditions.length ? `WHERE ${conditions.map((c) => `(${c})`).join(' AND ')}` : ''}
            ${selection.orderBy ? `ORDER BY ${selection.orderBy}` : ''}
            ${selection.limit !== undefined ? `LIMIT ${selection.limit}` : ''}
            ${selection.offset !== undefined ? `OFFSET ${selection.offset}` : ''}`,
          [...params, `${qualified(shape.table.name)}/`, JSON.stringify(rowHeaders)],
        );
  const [last] = await tx.query<{ id: string }>(
    `SELECT coalesce(max(id), 0)::text AS id FROM ${quoteIdent(shape.logSchema)}.sync_changes`,
  );
  // xid, not xid8: the form txids take in change headers and in the API's answers
  const [visible] = await tx.query<{ xmin: string; xmax: string; xip: string[] }>(
    `SELECT pg_snapshot_xmin(s)::xid::text AS xmin, pg_snapshot_xmax(s)::xid::text AS xmax,
            coalesce((SELECT array_agg(x::xid::text ORDER BY x) FROM pg_snapshot_xip(s) AS x), '{}') AS xip
       FROM pg_current_snapshot() AS s`,
  );
  return {
    messages: rows.map((row) => row.message),
    position: BigInt(last.id),
    visible: { xmin: visible.xmin, xmax: visible.xmax, xip_list: visible.xip },
  };
}

/** The row key in SQL, as `rowKey` writes it: the table's prefix, then each key column quoted. */
function keyText(shape: ShapeDefinition, alias: string, prefix: string): string {
  const parts = shape.table.primaryKey.map(
    (k) => `'"' || replace(coalesce(${alias}.${quoteIdent(k)}::text, ''), '"', '""') || '"'`,
  );
  return `${prefix}::text || ${parts.join(` || '/' || `)}`;
}
