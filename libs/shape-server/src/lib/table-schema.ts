import type { Queryable } from './source';
import { qualified, type TableName } from './sql-identifiers';

export interface ColumnInfo {
  name: string;
  /** Electric's type name: the element type for arrays (`int4` with dims 1 for `int4[]`). */
  type: string;
  dims: number;
  notNull: boolean;
  /** Position in the primary key, when the column is part of it. */
  pkIndex?: number;
}

export interface TableSchema {
  name: TableName;
  /** The table's oid: a table dropped and made again under the same name is another table. */
  oid: string;
  columns: ColumnInfo[];
  primaryKey: string[];
}

/** Read from the catalog; a table without a primary key cannot be a shape (rows need keys). */
export async function readTableSchema(db: Queryable, name: TableName): Promise<TableSchema | undefined> {
  const exists = await db.query<{ oid: string | null }>(`SELECT to_regclass($1)::oid::text AS oid`, [qualified(name)]);
  if (!exists[0]?.oid) return undefined;
  const rows = await db.query<{
    name: string;
    type: string;
    elem: string | null;
    ndims: number;
    not_null: boolean;
    pk_index: number | null;
  }>(
    // indkey's subscripts start at 0, as Electric's pk_index does
    `SELECT a.attname AS name, t.typname AS type, e.typname AS elem, a.attndims AS ndims, a.attnotnull AS not_null,
            array_position(i.indkey::int2[], a.attnum) AS pk_index
       FROM pg_attribute a
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
       LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
      WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [exists[0].oid],
  );
  const columns = rows.map(
    (row): ColumnInfo => ({
      name: row.name,
      type: row.elem ?? row.type,
      dims: row.elem ? Math.max(1, row.ndims) : 0,
      notNull: row.not_null,
      ...(row.pk_index !== null ? { pkIndex: row.pk_index } : {}),
    }),
  );
  const primaryKey = columns
    .filter((c) => c.pkIndex !== undefined)
    .sort((a, b) => a.pkIndex! - b.pkIndex!)
    .map((c) => c.name);
  return { name, oid: exists[0].oid, columns, primaryKey };
}

/** The `electric-schema` header: column → `{ type, dims, not_null?, pk_index? }`. */
export function electricSchema(columns: ColumnInfo[]): string {
  const out: Record<string, Record<string, unknown>> = {};
  for (const c of columns) {
    out[c.name] = {
      type: c.type,
      dims: c.dims,
      ...(c.notNull ? { not_null: true } : {}),
      ...(c.pkIndex !== undefined ? { pk_index: c.pkIndex } : {}),
    };
  }
  return JSON.stringify(out);
}
