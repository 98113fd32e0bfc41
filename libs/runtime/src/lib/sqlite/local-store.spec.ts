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
    expect(await again.select()).toEqual([
      { id: 1, done: true, meta: { tags: ['a'], n: 1 }, price: 2.5, title: 'One, renamed' },
    ]);
    expect(await again.position()).toEqual({ handle: 'h1', offset: '10_0' });
    // another shape definition (the spec changed the columns): the rows stay, the stream starts over
    const changed = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v2', table, migrations });
    expect(await changed.position()).toBeUndefined();
  });

  it('keeps an outbox per model, oldest first, with keys, bodies, requests and idempotency keys as they were', async () => {
    const db = await open();
    const items = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });
    const post = { method: 'POST' as const, path: '/items', body: { id: 3, title: 'Three' } };
    const first = await items.enqueue({
      op: 'insert',
      key: 3,
      body: { id: 3, title: 'Three' },
      base: null,
      request: post,
      idempotencyKey: 'k-1',
    });
    const second = await items.enqueue({
      op: 'delete',
      key: 1,
      body: null,
      base: { id: 1, title: 'One', version: 4 },
      request: { method: 'DELETE', path: '/items/{id}', pathParams: { id: '1' } },
      idempotencyKey: 'k-2',
    });
    expect(await items.entries()).toEqual([
      {
        seq: first,
        op: 'insert',
        key: 3,
        body: { id: 3, title: 'Three' },
        base: null,
        request: post,
        idempotencyKey: 'k-1',
        state: 'queued',
      },
      {
        seq: second,
        op: 'delete',
        key: 1,
        body: null,
        base: { id: 1, title: 'One', version: 4 },
        request: { method: 'DELETE', path: '/items/{id}', pathParams: { id: '1' } },
        idempotencyKey: 'k-2',
        state: 'queued',
      },
    ]);
    await items.remove(first);
    expect((await items.entries()).map((e) => e.seq)).toEqual([second]);
  });

  it('confirms a sent write with the save of the batch that carries its txid, in one transaction', async () => {
    const db = await open();
    const items = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });
    const request = {
      method: 'PATCH' as const,
      path: '/items/{id}',
      pathParams: { id: '1' },
      body: { title: 'Renamed' },
    };
    const a = await items.enqueue({
      op: 'update',
      key: 1,
      body: { title: 'Renamed' },
      base: null,
      request,
      idempotencyKey: 'k-a',
    });
    const b = await items.enqueue({
      op: 'update',
      key: 1,
      body: { title: 'Again' },
      base: null,
      request,
      idempotencyKey: 'k-b',
    });
    expect(await items.sent(a, 700)).toBe(false);
    expect((await items.entries())[0]).toMatchObject({ seq: a, state: 'sent', txid: 700 });
    // a batch with another txid confirms nothing; one with 700 confirms `a`, and keeps 701 for `b`
    expect(
      await items.save([{ type: 'insert', value: { id: 1, title: 'Other' } }], { handle: 'h', offset: '1_0' }, [699]),
    ).toEqual([]);
    expect(
      await items.save(
        [
          { type: 'update', value: { id: 1, title: 'Renamed' } },
          { type: 'update', value: { id: 1, title: 'Again' } },
        ],
        { handle: 'h', offset: '2_0' },
        [700, 701],
      ),
    ).toEqual([a]);
    // the answer to `b` comes after its txid was saved: confirmed at once, not left waiting for it
    expect(await items.sent(b, 701)).toBe(true);
    expect(await items.entries()).toEqual([]);
    // with nothing in flight, the kept txids are gone too
    expect(await db.all('SELECT * FROM sync_patterns_seen_txids')).toEqual([]);
    // a refusal is kept, with what the API said, until requeued or removed
    const c = await items.enqueue({
      op: 'update',
      key: 1,
      body: { title: 'x' },
      base: null,
      request,
      idempotencyKey: 'k-c',
    });
    await items.refused(c, { kind: 'http', status: 422, message: 'no', body: { detail: 'no' } });
    expect(await items.entries()).toMatchObject([
      { seq: c, state: 'refused', refusal: { kind: 'http', status: 422, message: 'no', body: { detail: 'no' } } },
    ]);
    await items.requeue(c, 'k-d', request);
    expect((await items.entries())[0]).toMatchObject({ seq: c, state: 'queued', idempotencyKey: 'k-d' });
    expect((await items.entries())[0]).not.toHaveProperty('refusal');
  });

  it('opens an outbox an earlier version made (no idempotency keys, no requests): its entries are queued, with fresh keys', async () => {
    const db = await open();
    await db.exec(
      `CREATE TABLE "sync_patterns_outbox" ("seq" INTEGER PRIMARY KEY AUTOINCREMENT, "scope" TEXT NOT NULL, "op" TEXT NOT NULL, "key" TEXT NOT NULL, "body" TEXT) STRICT;`,
    );
    await db.run(
      `INSERT INTO "sync_patterns_outbox" ("scope", "op", "key", "body") VALUES ('api/item', 'delete', '1', NULL)`,
    );
    const items = await sqliteLocalStore(db, { scope: 'api/item', shape: 'v1', table, migrations });
    const [old] = await items.entries();
    expect(old).toMatchObject({
      op: 'delete',
      key: 1,
      request: null,
      state: 'queued',
      idempotencyKey: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    await items.enqueue({ op: 'delete', key: 2, body: null, base: null, request: null, idempotencyKey: 'k-3' });
    expect((await items.entries()).map((e) => e.key)).toEqual([1, 2]);
  });

  it('lets models share one database, opening and saving at the same time', async () => {
    const db = await open();
    const other: SqliteMigration[] = [
      {
        version: 1,
        name: '0001_tag',
        sql: 'CREATE TABLE "tags" ("id" INTEGER NOT NULL PRIMARY KEY, "title" TEXT) STRICT;',
      },
    ];
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
      items.enqueue({ op: 'delete', key: 1, body: null, base: null, request: null, idempotencyKey: 'k' }),
    ]);
    expect((await items.select()).map((r) => r['title'])).toEqual(['item']);
    expect((await tags.select()).map((r) => r['title'])).toEqual(['tag']);
  });
});
