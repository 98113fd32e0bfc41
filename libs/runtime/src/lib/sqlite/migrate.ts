import { exclusive, type SqliteDriver } from './sqlite-driver';

/** One generated migration (`<model>.migrations.ts` lists them, oldest first). */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/** How a column's values are stored (the generator's SQLite type mapping). */
export type SqliteKind = 'text' | 'integer' | 'real' | 'boolean' | 'json';

/** A live model's local table, as `<model>.migrations.ts` describes it. */
export interface SqliteTableInfo {
  name: string;
  key: string;
  columns: readonly { name: string; kind: SqliteKind }[];
}

const LEDGER = '"sync_patterns_migrations"';

/** The local database's migrations do not fit the app's: applying more would corrupt it. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Applies the migrations a database has not had yet, each in its own transaction, and records
 * them in `sync_patterns_migrations` under `scope` (the model's collection id). Returns the names
 * of the migrations applied now. A failing migration leaves the database as it was before it.
 */
export function migrate(db: SqliteDriver, scope: string, migrations: readonly SqliteMigration[]): Promise<string[]> {
  return exclusive(db, () => migrateNow(db, scope, migrations));
}

async function migrateNow(db: SqliteDriver, scope: string, migrations: readonly SqliteMigration[]): Promise<string[]> {
  await db.exec(
    `CREATE TABLE IF NOT EXISTS ${LEDGER} ("scope" TEXT NOT NULL, "version" INTEGER NOT NULL, "name" TEXT NOT NULL, PRIMARY KEY ("scope", "version")) STRICT;`,
  );
  const applied = await db.all<{ version: number; name: string }>(
    `SELECT "version", "name" FROM ${LEDGER} WHERE "scope" = ? ORDER BY "version"`,
    [scope],
  );
  for (const [index, migration] of migrations.entries()) {
    if (migration.version !== index + 1)
      throw new MigrationError(
        `${scope}: migrations must be numbered 1, 2, … in order; found ${migration.name} at position ${index + 1}`,
      );
  }
  for (const row of applied) {
    const known = migrations[row.version - 1];
    if (!known)
      throw new MigrationError(
        `${scope}: the local database has migration ${row.name}, which this app does not know (a newer app version wrote it); it cannot be used by this version`,
      );
    if (known.name !== row.name)
      throw new MigrationError(
        `${scope}: the local database applied ${row.name} as migration ${row.version}, but this app's is ${known.name}; migration history was rewritten`,
      );
  }
  const done: string[] = [];
  for (const migration of migrations.slice(applied.length)) {
    await db.exec('BEGIN');
    try {
      await db.exec(migration.sql);
      await db.run(`INSERT INTO ${LEDGER} ("scope", "version", "name") VALUES (?, ?, ?)`, [
        scope,
        migration.version,
        migration.name,
      ]);
      await db.exec('COMMIT');
    } catch (error) {
      await db.exec('ROLLBACK');
      throw new MigrationError(
        `${scope}: migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
      );
    }
    done.push(migration.name);
  }
  return done;
}
