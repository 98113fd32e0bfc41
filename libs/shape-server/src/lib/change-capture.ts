import type { Queryable } from './source';
import { qualified, quoteIdent, type TableName } from './sql-identifiers';

/** Where the change log lives by default: `sync_patterns.sync_changes` and `sync_patterns.sync_log`. */
export const DEFAULT_LOG_SCHEMA = 'sync_patterns';
export const NOTIFY_CHANNEL = 'sync_patterns_changes';
/** Held by every transaction that writes a captured table, until it commits. */
const WRITER_LOCK = 7_431_907;

/**
 * Change capture with triggers, as DESIGN.md §7 prescribes (PGlite has no usable logical decoding).
 * Every insert, update and delete on a captured table lands in `sync_patterns.changes` with the
 * old and new row and the writing transaction's id (`pg_current_xact_id()`, served as `xid` as
 * Electric does: the value the API returns to the client), then a NOTIFY wakes the long-polls.
 *
 * Writers of captured tables are serialised by a transaction-level advisory lock taken before the
 * log row gets its id, so ids follow commit order and a reader never skips a change that commits
 * late. Fine for development and tests; Electric reads the WAL instead.
 */
export async function installChangeCapture(
  db: Queryable,
  tables: TableName[],
  logSchema = DEFAULT_LOG_SCHEMA,
): Promise<void> {
  const LOG_SCHEMA = quoteIdent(logSchema);
  await db.query(`CREATE SCHEMA IF NOT EXISTS ${LOG_SCHEMA}`);
  await db.query(`CREATE TABLE IF NOT EXISTS ${LOG_SCHEMA}.sync_changes (
    id bigserial PRIMARY KEY,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    table_schema text NOT NULL,
    table_name text NOT NULL,
    op text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    old_row jsonb,
    new_row jsonb
  )`);
  await db.query(
    `CREATE INDEX IF NOT EXISTS sync_changes_by_table ON ${LOG_SCHEMA}.sync_changes (table_schema, table_name, id)`,
  );
  // The log's generation: part of every shape handle; a reset makes old handles refetch (409).
  await db.query(`CREATE TABLE IF NOT EXISTS ${LOG_SCHEMA}.sync_log (epoch text NOT NULL)`);
  await db.query(
    `INSERT INTO ${LOG_SCHEMA}.sync_log (epoch) SELECT md5(random()::text || clock_timestamp()::text) WHERE NOT EXISTS (SELECT 1 FROM ${LOG_SCHEMA}.sync_log)`,
  );
  await db.query(`CREATE OR REPLACE FUNCTION ${LOG_SCHEMA}.sync_capture() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_advisory_xact_lock(${WRITER_LOCK});
  INSERT INTO ${LOG_SCHEMA}.sync_changes (table_schema, table_name, op, old_row, new_row)
  VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, lower(TG_OP),
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END);
  PERFORM pg_notify('${NOTIFY_CHANNEL}', TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME);
  RETURN NULL;
END
$fn$`);
  for (const table of tables) {
    const trigger = quoteIdent(CAPTURE_TRIGGER);
    await db.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${qualified(table)}`);
    await db.query(
      `CREATE TRIGGER ${trigger} AFTER INSERT OR UPDATE OR DELETE ON ${qualified(table)} FOR EACH ROW EXECUTE FUNCTION ${LOG_SCHEMA}.sync_capture()`,
    );
  }
}

/** The trigger that marks a table as captured: only such tables are served as shapes. */
export const CAPTURE_TRIGGER = 'sync_patterns_capture';

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

export async function logEpoch(db: Queryable, logSchema = DEFAULT_LOG_SCHEMA): Promise<string> {
  const [row] = await db.query<{ epoch: string }>(`SELECT epoch FROM ${quoteIdent(logSchema)}.sync_log LIMIT 1`);
  return row.epoch;
}

/** Empties the log and starts a new generation: every client must refetch its shapes (409). */
export async function resetLog(db: Queryable, logSchema = DEFAULT_LOG_SCHEMA): Promise<void> {
  const LOG_SCHEMA = quoteIdent(logSchema);
  await db.query(`DELETE FROM ${LOG_SCHEMA}.sync_changes`);
  await db.query(`UPDATE ${LOG_SCHEMA}.sync_log SET epoch = md5(random()::text || clock_timestamp()::text)`);
}
