import Database from 'better-sqlite3';
import initSqlJs from 'sql.js';
import { sqliteLocalStore } from './local-store';
import {
  claimLocalData,
  forgetLocalData,
  LocalDataOwnedError,
  localDataOwner,
  pendingLocalWrites,
} from './local-owner';
import type { SqliteMigration, SqliteTableInfo } from './migrate';
import { betterSqlite3Driver, sqlJsDriver, type SqliteDriver } from './sqlite-driver';

const table: SqliteTableInfo = {
  name: 'items',
  key: 'id',
  columns: [
    { name: 'id', kind: 'integer' },
    { name: 'title', kind: 'text' },
  ],
};
const migrations: SqliteMigration[] = [
  {
    version: 1,
    name: '0001_item',
    sql: 'CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT) STRICT;',
  },
];
const drivers: [string, () => Promise<SqliteDriver>][] = [
  ['better-sqlite3', async () => betterSqlite3Driver(new Database(':memory:'))],
  ['sql.js', async () => sqlJsDriver(new (await initSqlJs()).Database())],
];
const open = (db: SqliteDriver) => sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });

describe.each(drivers)('the local database belongs to one user (%s)', (_, openDriver) => {
  it("is claimed by its first user, and refused to another while it holds the first one's data", async () => {
    const db = await openDriver();
    await claimLocalData(db, 'ada');
    expect(await localDataOwner(db)).toBe('ada');
    const store = await open(db);
    await store.save([{ type: 'insert', value: { id: 1, title: "ada's" } }], { handle: 'h', offset: '1_0' });
    await store.enqueue({
      op: 'insert',
      key: 2,
      body: { id: 2, title: 'waiting' },
      base: null,
      request: null,
      idempotencyKey: 'k',
    });
    // ada again: hers
    await claimLocalData(db, 'ada');
    // bob: refused, told whose it is and what is waiting
    const refused = await claimLocalData(db, 'bob').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LocalDataOwnedError);
    expect(refused).toMatchObject({ owner: 'ada', pendingWrites: 1 });
    expect(String(refused)).toContain("user ada's data (1 write not synced yet)");
    expect(await pendingLocalWrites(db)).toBe(1);
    // forgetting empties it: bob claims it and sees nothing of ada's
    await forgetLocalData(db);
    expect(await localDataOwner(db)).toBeUndefined();
    expect(await pendingLocalWrites(db)).toBe(0);
    await claimLocalData(db, 'bob');
    const bobs = await open(db);
    expect(await bobs.select()).toEqual([]);
    expect(await bobs.position()).toBeUndefined();
    expect(await bobs.entries()).toEqual([]);
  });

  it('refuses a database that holds data nobody claimed (from before owners were recorded)', async () => {
    const db = await openDriver();
    const store = await open(db);
    await store.save([{ type: 'insert', value: { id: 1, title: 'whose?' } }], undefined);
    await expect(claimLocalData(db, 'bob')).rejects.toMatchObject({ owner: undefined, pendingWrites: 0 });
    // an empty one (migrated, nothing synced) is anyone's to claim
    const empty = await openDriver();
    await open(empty);
    await claimLocalData(empty, 'bob');
    expect(await localDataOwner(empty)).toBe('bob');
  });
});
