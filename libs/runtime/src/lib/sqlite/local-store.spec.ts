import Database from 'better-sqlite3';
import initSqlJs from 'sql.js';
import { sqliteLocalStore } from './local-store';
import type { SqliteMigration, SqliteTableInfo } from './migrate';
import { betterSqlite3Driver, sqlJsDriver, type SqliteDriver } from './sqlite-driver';

const table: SqliteTableInfo = {
  name: 'items',
  key: 'id',
  columns: [
    { name: 'id', kind: 'integer' },
    { name: 'done', kind: 'boolean' },
    { name: 'meta', kind: 'json' },
    { name: 'price', kind: 'real' },
    { name: 'title', kind: 'text' },
  ],
};
const migrations: SqliteMigration[] = [
  {
    version: 1,
    name: '0001_item',
    sql: 'CREATE TABLE "items" ("id" INTEGER NOT NULL PRIMARY KEY, "done" INTEGER CHECK ("done" IN (0, 1)), "meta" TEXT CHECK (json_valid("meta")), "price" REAL, "title" TEXT) STRICT;',
  },
];
const drivers: [string, () => Promise<SqliteDriver>][] = [
  ['better-sqlite3', async () => betterSqlite3Driver(new Database(':memory:'))],
  ['sql.js', async () => sqlJsDriver(new (await initSqlJs()).Database())],
];

describe.each(drivers)('the SQLite local store on %s', (_, open) => {
  it('round-trips every kind of value, merges partial updates, and keeps the stream position per shape', async () => {
    const db = await open();
    const store = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });
    await store.save(
      [
        { type: 'insert', value: { id: 1, done: true, meta: { tags: ['a'], n: 1 }, price: 2.5, title: 'One' } },
        { type: 'insert', value: { id: 2, done: false, meta: null, price: null, title: 'Two' } },
        { type: 'update', value: { id: 1, title: 'One, renamed' } },
        { type: 'delete', key: 2 },
      ],
      { handle: 'h1', offset: '10_0' },
    );
    const again = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });
    expect(await again.select()).toEqual([{ id: 1, done: true, meta: { tags: ['a'], n: 1 }, price: 2.5, title: 'One, renamed' }]);
    expect(await again.position()).toEqual({ handle: 'h1', offset: '10_0' });
    // another shape definition (the spec changed the columns): the rows stay, the stream starts over
    const changed = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v2', table, migrations });
    expect(await changed.position()).toBeUndefined();
  });

  it('keeps an outbox per model, oldest first, with keys, bodies and idempotency keys as they were', async () => {
    const db = await open();
    const items = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });
    const first = await items.enqueue({ op: 'insert', key: 3, body: { id: 3, title: 'Three' }, idempotencyKey: 'k-1' });
    const second = await items.enqueue({ op: 'delete', key: 1, body: null, idempotencyKey: 'k-2' });
    expect(await items.pending()).toEqual([
      { seq: first, op: 'insert', key: 3, body: { id: 3, title: 'Three' }, idempotencyKey: 'k-1' },
      { seq: second, op: 'delete', key: 1, body: null, idempotencyKey: 'k-2' },
    ]);
    await items.dequeue(first);
    expect((await items.pending()).map((e) => e.seq)).toEqual([second]);
  });

  it('opens an outbox an earlier version made (no idempotency keys): its entries get fresh ones', async () => {
    const db = await open();
    await db.exec(`CREATE TABLE "sync_patterns_outbox" ("seq" INTEGER PRIMARY KEY AUTOINCREMENT, "scope" TEXT NOT NULL, "op" TEXT NOT NULL, "key" TEXT NOT NULL, "body" TEXT) STRICT;`);
    await db.run(`INSERT INTO "sync_patterns_outbox" ("scope", "op", "key", "body") VALUES ('api/item', 'delete', '1', NULL)`);
    const items = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });
    const [old] = await items.pending();
    expect(old).toMatchObject({ op: 'delete', key: 1, idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    await items.enqueue({ op: 'delete', key: 2, body: null, idempotencyKey: 'k-3' });
    expect((await items.pending()).map((e) => e.key)).toEqual([1, 2]);
  });

  it('lets models share one database, opening and saving at the same time', async () => {
    const db = await open();
    const other: SqliteMigration[] = [{ version: 1, name: '0001_tag', sql: 'CREATE TABLE "tags" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT) STRICT;' }];
    const [items, tags] = await Promise.all([
      sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations }),
      sqliteLocalStore(db, {
        scope: 'api/tag',
        shape: 'v1',
        table: {
          name: 'tags',
          key: 'id',
          columns: [
            { name: 'id', kind: 'integer' },
            { name: 'title', kind: 'text' },
          ],
        },
        migrations: other,
      }),
    ]);
    await Promise.all([
      items.save([{ type: 'insert', value: { id: 1, title: 'item' } }], undefined),
      tags.save([{ type: 'insert', value: { id: 1, title: 'tag' } }], undefined),
      items.enqueue({ op: 'delete', key: 1, body: null, idempotencyKey: 'k' }),
    ]);
    expect((await items.select()).map((r) => r['title'])).toEqual(['item']);
    expect((await tags.select()).map((r) => r['title'])).toEqual(['tag']);
  });
});
