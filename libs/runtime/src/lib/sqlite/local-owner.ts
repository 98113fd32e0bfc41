import { OUTBOX_TABLE } from './outbox';
import { exclusive, type SqliteDriver } from './sqlite-driver';

/**
 * The device's local database belongs to one user: their synced rows (what the server let them
 * read) and their writes waiting in the outbox (sent with their credentials). It records whose it
 * is, so that it is never opened for anyone else — the next user of a shared device gets a
 * database of their own, or this one emptied first.
 */
const OWNER = '"sync_patterns_owner"';

/** Opening a local database that holds another user's data. */
export class LocalDataOwnedError extends Error {
  constructor(
    /** Whose data it holds (undefined: data from before owners were recorded). */
    readonly owner: string | undefined,
    /** Their writes still waiting in the outbox (never sent for anyone else). */
    readonly pendingWrites: number,
  ) {
    super(
      `this local database holds ${owner === undefined ? "an unknown user's" : `user ${owner}'s`} data${pendingWrites ? ` (${pendingWrites} write${pendingWrites > 1 ? 's' : ''} not synced yet)` : ''}: open another one for this user, or forgetLocalData() first`,
    );
    this.name = 'LocalDataOwnedError';
  }
}

/** Whose data the database holds; undefined when nobody claimed it. */
export async function localDataOwner(db: SqliteDriver): Promise<string | undefined> {
  if (!(await hasTable(db, 'sync_patterns_owner'))) return undefined;
  const [row] = await db.all<{ owner: string }>(`SELECT "owner" FROM ${OWNER} LIMIT 1`);
  return row?.owner;
}

/**
 * Makes the database `user`'s, before the app configures it (`configure…({ localDatabase })`). A
 * database that is theirs already, or holds nothing, is claimed; one that holds another user's data
 * — or data nobody claimed — is refused with a LocalDataOwnedError: the app opens another database
 * for this user (the other's stays locked away, its waiting writes kept for when they sign in
 * again), or forgets it (`forgetLocalData`, after telling the user what is dropped).
 */
export async function claimLocalData(db: SqliteDriver, user: string): Promise<void> {
  if (!user) throw new Error('claimLocalData: the user is a non-empty id');
  await exclusive(db, async () => {
    const owner = await localDataOwner(db);
    if (owner === user) return;
    if (owner !== undefined || (await holdsData(db)))
      throw new LocalDataOwnedError(owner, await pendingLocalWrites(db));
    await db.exec(`CREATE TABLE IF NOT EXISTS ${OWNER} ("owner" TEXT NOT NULL) STRICT;`);
    await db.run(`INSERT INTO ${OWNER} ("owner") VALUES (?)`, [user]);
  });
}

/** The writes waiting in the outbox — queued, sent and not yet synced, or refused and not yet dismissed. */
export async function pendingLocalWrites(db: SqliteDriver): Promise<number> {
  if (!(await hasTable(db, 'sync_patterns_outbox'))) return 0;
  const [row] = await db.all<{ n: number }>(`SELECT count(*) AS n FROM ${OUTBOX_TABLE}`);
  return Number(row?.n ?? 0);
}

/**
 * Empties the database: every synced row, stream position, waiting write and migration record
 * (its tables are dropped; the next app to open it migrates it afresh). For signing out on a
 * shared device: ask `pendingLocalWrites` first — writes dropped here are never sent. Close the
 * app's collections first (a new QueryClient, or a reload): they would write into it again.
 */
export async function forgetLocalData(db: SqliteDriver): Promise<void> {
  await exclusive(db, async () => {
    const tables = await db.all<{ name: string }>(
      `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
    );
    for (const { name } of tables) await db.exec(`DROP TABLE IF EXISTS "${name.replace(/"/g, '""')}";`);
  });
}

async function hasTable(db: SqliteDriver, name: string): Promise<boolean> {
  const rows = await db.all(`SELECT 1 AS found FROM "sqlite_master" WHERE "type" = 'table' AND "name" = ?`, [name]);
  return rows.length > 0;
}

/** Any table with a row in it: data of someone, even without a recorded owner. */
async function holdsData(db: SqliteDriver): Promise<boolean> {
  const tables = await db.all<{ name: string }>(
    `SELECT "name" FROM "sqlite_master" WHERE "type" = 'table' AND "name" NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND "name" <> 'sync_patterns_migrations'`,
  );
  for (const { name } of tables) {
    const rows = await db.all(`SELECT 1 AS found FROM "${name.replace(/"/g, '""')}" LIMIT 1`);
    if (rows.length) return true;
  }
  return false;
}
