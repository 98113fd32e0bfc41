import type { Queryable } from './source';
import { qualified, quoteIdent, type TableName } from './sql-identifiers';

/** Where the change log lives by default: `sync_patterns.sync_changes` and the shapes beside it. */
export const DEFAULT_LOG_SCHEMA = 'sync_patterns';
export const NOTIFY_CHANNEL = 'sync_patterns_changes';
/** Held by every transaction that writes a captured table, until it commits. */
const WRITER_LOCK = 7_431_907;
/** The triggers that mark a table as captured: only such tables are served as shapes. */
export const CAPTURE_TRIGGER = 'sync_patterns_capture';
const TRUNCATE_TRIGGER = 'sync_patterns_capture_truncate';

/**
 * Change capture with triggers, as DESIGN.md §7 prescribes (PGlite has no usable logical decoding).
 * Every insert, update and delete on a captured table lands in `sync_changes` with the old and new
 * row and the writing transaction's id (`pg_current_xact_id()`, served as `xid` as Electric does:
 * the value the API returns to the client); a TRUNCATE lands as one `truncate` entry, which makes
 * every shape of the table refetch (Electric answers must-refetch too). A NOTIFY wakes the live
 * requests.
 *
 * Rows are kept as `json` (row_to_json), not `jsonb`: a `json` column's text then reaches a live
 * client exactly as a snapshot gives it (jsonb would reorder keys and drop whitespace).
 *
 * The row trigger is a deferred constraint trigger: it runs when the writing transaction commits,
 * after all its statements. There it takes a transaction-level advisory lock, held until the commit
 * ends, before the log entries get their ids — so ids follow commit order, a transaction's entries
 * are consecutive, and a reader never skips a change that commits late. Waiting for that lock only
 * at commit (when a transaction takes no more row locks) is what keeps concurrent writers of the
 * same rows from deadlocking on it. Fine for development and tests; Electric reads the WAL instead.
 */
export async function installChangeCapture(
  db: Queryable,
  tables: TableName[],
  logSchema = DEFAULT_LOG_SCHEMA,
): Promise<void> {
  const LOG = quoteIdent(logSchema);
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${LOG}`);
  await db.query(`CREATE TABLE IF NOT EXISTS ${LOG}.sync_changes (
    id bigserial PRIMARY KEY,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    table_schema text NOT NULL,
    table_name text NOT NULL,
    op text NOT NULL,
    old_row json,
    new_row json
  )`);
  await upgradeChangeLog(db, logSchema);
  await db.query(
    `CREATE INDEX IF NOT EXISTS sync_changes_by_table ON ${LOG}.sync_changes (table_schema, table_name, id)`,
  );
  await db.query(`CREATE INDEX IF NOT EXISTS sync_changes_by_txid ON ${LOG}.sync_changes (txid, id)`);
  await db.query(
    `CREATE INDEX IF NOT EXISTS sync_changes_truncates ON ${LOG}.sync_changes (table_schema, table_name, id) WHERE op = 'truncate'`,
  );
  // Shapes as Electric keeps them: a handle, the snapshot taken when the shape was first asked for
  // (in chunks), and the log position it is consistent with. A new client reads the same snapshot
  // and then the log, so every client of a shape sees the same history.
  await db.query(`CREATE TABLE IF NOT EXISTS ${LOG}.sync_shapes (
    handle text PRIMARY KEY,
    definition text NOT NULL,
    table_oid oid NOT NULL,
    table_columns text NOT NULL,
    snapshot_last bigint NOT NULL,
    chunks integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  // what a shape's sub-queries answered when it was made (see subqueryFingerprint)
  await db.query(`ALTER TABLE ${LOG}.sync_shapes ADD COLUMN IF NOT EXISTS dependencies text NOT NULL DEFAULT ''`);
  await db.query(`CREATE INDEX IF NOT EXISTS sync_shapes_by_definition ON ${LOG}.sync_shapes (definition)`);
  await db.query(`CREATE TABLE IF NOT EXISTS ${LOG}.sync_shape_chunks (
    handle text NOT NULL REFERENCES ${LOG}.sync_shapes (handle) ON DELETE CASCADE,
    chunk integer NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (handle, chunk)
  )`);
  await db.query(`CREATE OR REPLACE FUNCTION ${LOG}.sync_capture() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(${WRITER_LOCK});
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO ${LOG}.sync_changes (table_schema, table_name, op) VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, 'truncate');
  ELSE
    INSERT INTO ${LOG}.sync_changes (table_schema, table_name, op, old_row, new_row)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP),
      CASE WHEN TG_OP <> 'INSERT' THEN row_to_json(OLD) END,
      CASE WHEN TG_OP <> 'DELETE' THEN row_to_json(NEW) END);
  END IF;
  PERFORM pg_notify('${NOTIFY_CHANNEL}', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
  RETURN NULL;
END
$fn$`);
  for (const table of tables) {
    await db.query(`DROP TRIGGER IF EXISTS ${quoteIdent(CAPTURE_TRIGGER)} ON ${qualified(table)}`);
    await db.query(
      `CREATE CONSTRAINT TRIGGER ${quoteIdent(CAPTURE_TRIGGER)} AFTER INSERT OR UPDATE OR DELETE ON ${qualified(table)}
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${LOG}.sync_capture()`,
    );
    await db.query(`DROP TRIGGER IF EXISTS ${quoteIdent(TRUNCATE_TRIGGER)} ON ${qualified(table)}`);
    await db.query(
      `CREATE TRIGGER ${quoteIdent(TRUNCATE_TRIGGER)} AFTER TRUNCATE ON ${qualified(table)} FOR EACH STATEMENT EXECUTE FUNCTION ${LOG}.sync_capture()`,
    );
  }
}

/** A log made by an earlier version (jsonb rows, no truncate entries, one generation row) made current. */
async function upgradeChangeLog(db: Queryable, logSchema: string): Promise<void> {
  const LOG = quoteIdent(logSchema);
  const [shape] = await db.query<{ type: string }>(
    `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attname = 'new_row' AND NOT attisdropped`,
    [`${LOG}.sync_changes`],
  );
  if (shape?.type === 'jsonb') {
    await db.query(
      `ALTER TABLE ${LOG}.sync_changes ALTER COLUMN old_row TYPE json USING old_row::json, ALTER COLUMN new_row TYPE json USING new_row::json`,
    );
  }
  await db.query(`ALTER TABLE ${LOG}.sync_changes DROP CONSTRAINT IF EXISTS sync_changes_op_check`);
  await db.query(`DROP TABLE IF EXISTS ${LOG}.sync_log`);
}

/** Whether `installChangeCapture` set up this table (its changes reach the log, so it can be live). */
export async function isCaptured(db: Queryable, table: TableName): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass($1) AND tgname = $2 AND NOT tgisinternal`,
    [qualified(table), CAPTURE_TRIGGER],
  );
  return rows.length > 0;
}

/** Waits for writers in flight, so what is read next is consistent with the log's last id. */
export async function holdWriters(tx: Queryable): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock_shared(${WRITER_LOCK})`);
}

/** Empties the log and forgets every shape: every client must refetch its shapes (409). */
export async function resetLog(db: Queryable, logSchema = DEFAULT_LOG_SCHEMA): Promise<void> {
  const LOG = quoteIdent(logSchema);
  await db.query(`DELETE FROM ${LOG}.sync_shapes`);
  await db.query(`DELETE FROM ${LOG}.sync_changes`);
  // the shape servers listening forget what they knew and answer their live requests
  await db.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '*')`);
}
