import { qualified, quoteIdent, type TableName } from './sql-identifiers';

export type Value = Record<string, string | null>;

export interface ChangeMessage {
  headers: {
    operation: 'insert' | 'update' | 'delete';
    /** The table, on snapshot rows. */
    relation?: [string, string];
    /** The transaction's position in the log: the same for all its changes, growing with commits. */
    lsn?: string;
    /** The change's place in its transaction. */
    op_position?: number;
    /** On the transaction's last change in this shape. */
    last?: boolean;
    txids?: number[];
    /** An update of the primary key, sent as a delete of the old key … */
    key_change_to?: string;
    /** … and an insert of the new. */
    key_change_from?: string;
    /** Subset rows: the `snapshot_mark` of the subset's metadata. */
    snapshot_mark?: number;
  };
  key: string;
  value: Value;
  /** `replica=full` updates: the changed columns' values before the change. */
  old_value?: Value;
}

/** Postgres' `pg_current_snapshot()`: which transactions a snapshot's rows include. */
export interface VisibleTransactions {
  xmin: string;
  xmax: string;
  xip_list: string[];
}

/** `json_build_object('id', t."id"::text, …)`: every sent column as Postgres' text, null as null. */
export function valueObject(columns: readonly string[], alias: string): string {
  return `json_build_object(${columns.map((c) => `'${c.replace(/'/g, "''")}', ${alias}.${quoteIdent(c)}::text`).join(', ')})`;
}

/** Electric's row key: `"schema"."table"/"pk1"/"pk2"`. */
export function rowKey(table: { name: TableName; primaryKey: string[] }, value: Value): string {
  return `${qualified(table.name)}/${table.primaryKey.map((k) => `"${String(value[k] ?? '').replace(/"/g, '""')}"`).join('/')}`;
}
