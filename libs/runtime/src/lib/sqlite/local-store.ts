import { migrate, type SqliteMigration, type SqliteTableInfo } from './migrate';
import { exclusive, type SqliteDriver, type SqliteValue } from './sqlite-driver';
import { newIdempotencyKey } from '../client/request-helpers';
import type { SubsetFilter } from './subset-filter';
import { confirmSyncedIn, createOutboxTables, sqliteOutbox, type Outbox } from './outbox';

export * from './outbox';

/** Where a shape stream stood when its rows were last saved: enough to resume it. */
export interface StreamPosition {
  handle: string;
  offset: string;
}

/** A synced change as the collection applied it. */
export type StoredChange =
  | { type: 'insert' | 'update'; value: Record<string, unknown> }
  | { type: 'delete'; key: string | number }
  | { type: 'truncate' };

/**
 * The device-side home of a live collection's synced rows: read at start (the UI has data before
 * the network answers, and the stream resumes from the saved position), written after every batch
 * the stream commits. Optimistic rows never enter it — only what the server confirmed.
 */
export interface LocalStore extends Outbox {
  /** The model's local table: its name, key and columns. */
  readonly table: SqliteTableInfo;
  /** Where the stream stood when rows were last saved, if it was for this shape definition. */
  position(): Promise<StreamPosition | undefined>;
  /** Stored rows that `filter` selects (every row without one), in key order, a page at a time after the key `after`. */
  select(filter?: SubsetFilter, page?: { after?: SqliteValue; limit: number }): Promise<Record<string, unknown>[]>;
  /** The stored rows with these keys (those that exist). */
  withKeys(keys: readonly (string | number)[]): Promise<Record<string, unknown>[]>;
  /**
   * Saves a synced batch and where the stream stood after it, in one transaction with the
   * confirmation of the outbox's `sent` writes whose txids the batch carries. Resolves to their seqs.
   */
  save(
    changes: readonly StoredChange[],
    position: StreamPosition | undefined,
    txids?: readonly number[],
  ): Promise<number[]>;
}

const STREAMS = '"sync_patterns_streams"';
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** Keys per `IN (…)`: under SQLite's smallest parameter limit (999). */
const KEYS_PER_QUERY = 500;

const encode = (kind: string, value: unknown): SqliteValue => {
  if (value === undefined || value === null) return null;
  if (kind === 'boolean') return value ? 1 : 0;
  if (kind === 'json') return JSON.stringify(value);
  return value as SqliteValue;
};
const decode = (kind: string, value: unknown): unknown => {
  if (value === null) return null;
  if (kind === 'boolean') return value === 1;
  if (kind === 'json') return JSON.parse(String(value));
  if (typeof value === 'bigint') return Number(value);
  return value;
};

/**
 * A LocalStore on the model's generated SQLite table. `shape` names the shape definition (table,
 * columns, where): a stored position is used only for the same definition, so a spec change that
 * alters the shape starts the stream over (and the migration has already reshaped the rows).
 */
export async function sqliteLocalStore(
  db: SqliteDriver,
  options: { scope: string; shape: string; table: SqliteTableInfo; migrations: readonly SqliteMigration[] },
): Promise<LocalStore> {
  const { scope, shape, table } = options;
  // every call runs alone on the connection: other models share it, and save is a transaction
  const alone = <T>(work: () => Promise<T>) => exclusive(db, work);
  await migrate(db, scope, options.migrations);
  await alone(async () => {
    await db.exec(
      `CREATE TABLE IF NOT EXISTS ${STREAMS} ("scope" TEXT NOT NULL PRIMARY KEY, "shape" TEXT NOT NULL, "handle" TEXT NOT NULL, "offset" TEXT NOT NULL) STRICT;`,
    );
    await createOutboxTables(db);
  });
  const columns = table.columns.map((c) => c.name);
  const selected = columns.map(q).join(', ');
  // only the columns whose stored form differs are decoded: a cold start may read every row
  const decoded = table.columns.filter((c) => c.kind === 'boolean' || c.kind === 'json' || c.kind === 'integer');
  const decodeRows = (stored: Record<string, unknown>[]) => {
    for (const row of stored) for (const c of decoded) row[c.name] = decode(c.kind, row[c.name]);
    return stored;
  };
  const storedPosition = async (): Promise<StreamPosition | undefined> => {
    const [saved] = await db.all<{ shape: string; handle: string; offset: string }>(
      `SELECT "shape", "handle", "offset" FROM ${STREAMS} WHERE "scope" = ?`,
      [scope],
    );
    return saved && saved.shape === shape ? { handle: saved.handle, offset: saved.offset } : undefined;
  };
  const updates = columns.filter((c) => c !== table.key).map((c) => `${q(c)} = excluded.${q(c)}`);
  const upsert = `INSERT INTO ${q(table.name)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT (${q(table.key)}) ${updates.length ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`;
  const apply = async (change: StoredChange) => {
    if (change.type === 'truncate') {
      await db.run(`DELETE FROM ${q(table.name)}`);
    } else if (change.type === 'delete') {
      await db.run(`DELETE FROM ${q(table.name)} WHERE ${q(table.key)} = ?`, [change.key as SqliteValue]);
    } else if (change.type === 'insert') {
      await db.run(
        upsert,
        table.columns.map((c) => encode(c.kind, change.value[c.name])),
      );
    } else {
      // Electric's updates carry the key and the changed columns only: set just those
      const changed = table.columns.filter((c) => c.name !== table.key && c.name in change.value);
      if (!changed.length) return;
      await db.run(
        `UPDATE ${q(table.name)} SET ${changed.map((c) => `${q(c.name)} = ?`).join(', ')} WHERE ${q(table.key)} = ?`,
        [...changed.map((c) => encode(c.kind, change.value[c.name])), change.value[table.key] as SqliteValue],
      );
    }
  };

  return {
    table,
    ...sqliteOutbox(db, scope, alone, newIdempotencyKey),
    position: () => alone(storedPosition),
    select: (filter, page) =>
      alone(async () => {
        const conditions = [
          ...(filter ? [`(${filter.sql})`] : []),
          ...(page?.after !== undefined ? [`${q(table.key)} > ?`] : []),
        ];
        const params = [...(filter?.params ?? []), ...(page?.after !== undefined ? [page.after] : [])];
        const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
        const paged = page ? ` ORDER BY ${q(table.key)} LIMIT ${Math.max(1, Math.floor(page.limit))}` : '';
        return decodeRows(await db.all(`SELECT ${selected} FROM ${q(table.name)}${where}${paged}`, params));
      }),
    withKeys: (keys) =>
      alone(async () => {
        const rows: Record<string, unknown>[] = [];
        for (let i = 0; i < keys.length; i += KEYS_PER_QUERY) {
          const some = keys.slice(i, i + KEYS_PER_QUERY);
          rows.push(
            ...decodeRows(
              await db.all(
                `SELECT ${selected} FROM ${q(table.name)} WHERE ${q(table.key)} IN (${some.map(() => '?').join(', ')})`,
                some,
              ),
            ),
          );
        }
        return rows;
      }),
    save: (changes, position, txids = []) =>
      alone(async () => {
        await db.exec('BEGIN');
        try {
          for (const change of changes) await apply(change);
          const confirmed = await confirmSyncedIn(db, scope, txids);
          if (position) {
            await db.run(
              `INSERT INTO ${STREAMS} ("scope", "shape", "handle", "offset") VALUES (?, ?, ?, ?) ON CONFLICT ("scope") DO UPDATE SET "shape" = excluded."shape", "handle" = excluded."handle", "offset" = excluded."offset"`,
              [scope, shape, position.handle, position.offset],
            );
          }
          await db.exec('COMMIT');
          return confirmed;
        } catch (error) {
          await db.exec('ROLLBACK');
          throw error;
        }
      }),
  };
}

/**
 * The `local` option of a generated live collection: a store on the client's `localDatabase`, or
 * none when the app keeps live data in memory only. `shape` is the model's shape definition.
 */
export function localStoreOn(
  database: SqliteDriver | undefined,
  model: { scope: string; shape: object; table: SqliteTableInfo; migrations: readonly SqliteMigration[] },
): (() => Promise<LocalStore>) | undefined {
  if (!database) return undefined;
  // the collection opens it once (createLiveCollection keeps the promise)
  return () =>
    sqliteLocalStore(database, {
      scope: model.scope,
      shape: JSON.stringify(model.shape),
      table: model.table,
      migrations: model.migrations,
    });
}
