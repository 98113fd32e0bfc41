import type { SqliteMigration, SqliteTableInfo } from '../src/lib/sqlite/migrate';

/** The local SQLite table of the runtime tests' Todo (id, done, meta JSON, title) and its migration. */
export const todoTable: SqliteTableInfo = {
  name: 'todos',
  key: 'id',
  columns: [
    { name: 'id', kind: 'text' },
    { name: 'done', kind: 'boolean' },
    { name: 'meta', kind: 'json' },
    { name: 'title', kind: 'text' },
  ],
};

export const todoMigrations: SqliteMigration[] = [
  {
    version: 1,
    name: '0001_todo',
    sql: 'CREATE TABLE "todos" ("id" TEXT NOT NULL PRIMARY KEY, "done" INTEGER NOT NULL CHECK ("done" IN (0, 1)), "meta" TEXT CHECK (json_valid("meta")), "title" TEXT NOT NULL) STRICT;',
  },
];
