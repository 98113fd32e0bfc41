import Database from 'better-sqlite3';
import initSqlJs from 'sql.js';
import { MigrationError, migrate, type SqliteMigration } from './migrate';
import { betterSqlite3Driver, sqlJsDriver, type SqliteDriver } from './sqlite-driver';

const migrations: SqliteMigration[] = [
  {
    version: 1,
    name: '0001_todo',
    sql: 'CREATE TABLE "todos" ("id" TEXT NOT NULL PRIMARY KEY, "title" TEXT NOT NULL) STRICT;',
  },
  { version: 2, name: '0002_todo', sql: 'ALTER TABLE "todos" ADD COLUMN "done" INTEGER CHECK ("done" IN (0, 1));' },
];

const drivers: [string, () => Promise<SqliteDriver>][] = [
  ['better-sqlite3', async () => betterSqlite3Driver(new Database(':memory:'))],
  ['sql.js', async () => sqlJsDriver(new (await initSqlJs()).Database())],
];

describe.each(drivers)('migrate() on %s', (_, open) => {
  it('applies what the database has not had, records it per scope, and applies nothing twice', async () => {
    const db = await open();
    expect(await migrate(db, 'api/todo', migrations.slice(0, 1))).toEqual(['0001_todo']);
    await db.run('INSERT INTO "todos" ("id", "title") VALUES (?, ?)', ['1', 'kept']);
    expect(await migrate(db, 'api/todo', migrations)).toEqual(['0002_todo']);
    expect(await migrate(db, 'api/todo', migrations)).toEqual([]);
    expect(await db.all('SELECT "id", "title", "done" FROM "todos"')).toEqual([{ id: '1', title: 'kept', done: null }]);
    expect(
      await db.all('SELECT "scope", "version", "name" FROM "sync_patterns_migrations" ORDER BY "version"'),
    ).toEqual([
      { scope: 'api/todo', version: 1, name: '0001_todo' },
      { scope: 'api/todo', version: 2, name: '0002_todo' },
    ]);
  });

  it('rolls a failing migration back whole, leaving the database as it was', async () => {
    const db = await open();
    await migrate(db, 'api/todo', migrations.slice(0, 1));
    const broken = {
      version: 2,
      name: '0002_todo',
      sql: 'ALTER TABLE "todos" ADD COLUMN "done" INTEGER; INSERT INTO "nowhere" VALUES (1);',
    };
    await expect(migrate(db, 'api/todo', [migrations[0], broken])).rejects.toThrow(
      /api\/todo: migration 0002_todo failed and was rolled back: .*nowhere/,
    );
    expect((await db.all<{ name: string }>(`SELECT name FROM pragma_table_info('todos')`)).map((c) => c.name)).toEqual([
      'id',
      'title',
    ]);
    expect(await migrate(db, 'api/todo', migrations)).toEqual(['0002_todo']);
  });

  it('refuses a history that does not fit the app: rewritten, or written by a newer version', async () => {
    const db = await open();
    await migrate(db, 'api/todo', migrations);
    const rewritten = [migrations[0], { ...migrations[1], name: '0002_other' }];
    await expect(migrate(db, 'api/todo', rewritten)).rejects.toBeInstanceOf(MigrationError);
    await expect(migrate(db, 'api/todo', migrations.slice(0, 1))).rejects.toThrow(/a newer app version wrote it/);
  });
});
