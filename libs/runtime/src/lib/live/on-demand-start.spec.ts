import Database from 'better-sqlite3';
import { and, createLiveQueryCollection, eq, inArray } from '@tanstack/react-db';
import { betterSqlite3Driver, type SqliteDriver } from '../sqlite/sqlite-driver';
import { sqliteLocalStore } from '../sqlite/local-store';
import type { SqliteMigration, SqliteTableInfo } from '../sqlite/migrate';
import { waitUntil } from '../mock/fake-api';
import { createFakeShape, type FakeShape } from '../mock/fake-shape';
import { createLiveCollection } from './live-collection';
import { HYDRATION_PAGE } from './live-persistence';

/**
 * A restart on the device's SQLite: each live query is answered from the local table first, the
 * other rows follow in the background, and the stream's changes to rows not in the collection yet
 * are read back whole once saved — never half a row, never a deleted one back, nothing stale
 * after a must-refetch.
 */
interface Todo {
  id: string;
  project: string;
  done: boolean;
  title: string;
}
const table: SqliteTableInfo = {
  name: 'todos',
  key: 'id',
  columns: [
    { name: 'id', kind: 'text' },
    { name: 'project', kind: 'text' },
    { name: 'done', kind: 'boolean' },
    { name: 'title', kind: 'text' },
  ],
};
const migrations: SqliteMigration[] = [
  {
    version: 1,
    name: '0001_todo',
    sql: 'CREATE TABLE "todos" ("id" TEXT NOT NULL PRIMARY KEY, "project" TEXT NOT NULL, "done" INTEGER NOT NULL, "title" TEXT NOT NULL) STRICT;',
  },
];
const passthrough = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) } };
const never: typeof fetch = () => new Promise(() => undefined);

/** More rows than one background page, over 10 projects. */
const ROWS = HYDRATION_PAGE * 2 + 500;
const todo = (i: number): Todo => ({
  id: `t${String(i).padStart(6, '0')}`,
  project: `p${i % 10}`,
  done: i % 3 === 0,
  title: `todo ${i}`,
});

/** Every collection a test started, stopped after it even when it failed (they share one SQLite). */
const started: { stop(): void; collection: { cleanup(): Promise<void> } }[] = [];
afterEach(async () => {
  for (const live of started.splice(0)) {
    live.stop();
    await live.collection.cleanup();
  }
});

function start(driver: SqliteDriver, fetchImpl: typeof fetch) {
  const live = createLiveCollection<Todo, string>({
    id: 'test/todo',
    table: 'todos',
    columns: ['done', 'id', 'project', 'title'],
    shapeUrl: () => 'http://api.test/v1/shape',
    fetch: () => fetchImpl,
    getKey: (row) => row.id,
    kinds: { done: 'boolean', id: 'string', project: 'string', title: 'string' },
    rowSchema: passthrough,
    local: () => sqliteLocalStore(driver, { scope: 'test/todo', shape: 'todos', table, migrations }),
  });
  started.push(live);
  return live;
}

/** A device whose SQLite holds every row of `shape`, synced by an earlier run of the app. */
async function syncedDevice(shape: FakeShape) {
  const db = new Database(':memory:');
  const first = start(betterSqlite3Driver(db), shape.fetchWith(never));
  await first.collection.preload();
  await waitUntil(
    () => (db.prepare('SELECT count(*) AS n FROM todos').get() as { n: number }).n === shape.rows.size,
    10_000,
  );
  started.splice(started.indexOf(first), 1);
  first.stop();
  await first.collection.cleanup();
  return db;
}

/**
 * A driver whose reads that `gated` picks wait for `open()`; `reached` resolves when the first
 * one is waiting (holding the connection: whatever the store does next waits behind it).
 */
function gatedDriver(db: Database.Database, gated: (sql: string) => boolean) {
  const driver = betterSqlite3Driver(db);
  let open!: () => void;
  let arrived!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrived = resolve));
  const wrapped: SqliteDriver = {
    exec: (sql) => driver.exec(sql),
    run: (sql, params) => driver.run(sql, params),
    all: async (sql, params) => {
      if (gated(sql)) {
        arrived();
        await gate;
      }
      return driver.all(sql, params);
    },
  };
  return { driver: wrapped, reached, open: () => open() };
}
const backgroundPage = (sql: string) => sql.includes(' LIMIT ');

/** The shape's answers held until `ready` resolves. */
const heldUntil =
  (ready: Promise<void>, next: typeof fetch): typeof fetch =>
  async (input, init) => {
    await ready;
    return next(input, init);
  };

describe('a restart on the local SQLite (on-demand)', () => {
  const shape = createFakeShape({ key: 'id' });
  for (let i = 0; i < ROWS; i++) shape.insert(todo(i) as never);
  let db: Database.Database;
  beforeAll(async () => {
    db = await syncedDevice(shape);
  });

  it('answers a live query from the local table before the other rows are in, then takes every row in', async () => {
    const live = start(betterSqlite3Driver(db), never);
    const query = createLiveQueryCollection((q) =>
      q.from({ row: live.collection }).where(({ row }) => and(eq(row.project, 'p3'), eq(row.done, true))),
    );
    let sizeAtFirstResult: number | undefined;
    query.subscribeChanges(() => (sizeAtFirstResult ??= live.collection.size));
    await query.preload();
    const expected = [...shape.rows.values()]
      .filter((r) => r['project'] === 'p3' && r['done'] === true)
      .map((r) => r['id']);
    await waitUntil(() => query.size === expected.length);
    expect([...query.values()].map((r) => r.id).sort()).toEqual(expected.sort());
    // the query's rows came first, alone: not behind a page of the background load
    expect(sizeAtFirstResult).toBe(expected.length);
    await live.collection.toArrayWhenReady();
    expect(live.collection.size).toBe(ROWS);
    expect(live.collection.get('t000007')).toMatchObject(todo(7));
    live.stop();
  });

  it('a row the stream changes before it is shown arrives whole; one it deletes stays gone', async () => {
    const { driver, reached, open } = gatedDriver(db, backgroundPage);
    shape.update('t000011', { title: 'renamed while away' }, 501);
    shape.remove('t000012', 502);
    const live = start(driver, heldUntil(reached, shape.fetchWith(never)));
    live.collection.startSyncImmediate();
    // the first background page has read nothing yet when the stream resumes and applies both;
    // it then reads the rows as they were before them (their save waits behind it)
    await live.collection.utils.awaitTxId(502, 10_000);
    expect(live.collection.has('t000011')).toBe(false); // not half a row: only its title changed
    open();
    await live.collection.toArrayWhenReady();
    await waitUntil(() => !live.collection.has('t000012'));
    expect(live.collection.get('t000011')).toMatchObject({ ...todo(11), title: 'renamed while away' });
    expect(live.collection.size).toBe(ROWS - 1);
    live.stop();
  });

  it('a subset read that raced a change is read back after it', async () => {
    // the query's read waits while the stream changes one of its rows; it then shows the row as it was
    const { driver, reached, open } = gatedDriver(db, (sql) => sql.includes(' IN ('));
    shape.update('t000022', { done: true }, 503);
    const live = start(driver, heldUntil(reached, shape.fetchWith(never)));
    const query = createLiveQueryCollection((q) =>
      q.from({ row: live.collection }).where(({ row }) => inArray(row.id, ['t000021', 't000022'])),
    );
    void query.preload();
    await live.collection.utils.awaitTxId(503, 10_000);
    open();
    await waitUntil(() => query.size === 2);
    expect(todo(22).done).toBe(false);
    await waitUntil(() => query.toArray.find((r) => r.id === 't000022')?.done === true);
    expect(query.toArray.find((r) => r.id === 't000022')).toMatchObject({ ...todo(22), done: true });
    await live.collection.toArrayWhenReady();
    expect(live.collection.get('t000022')).toMatchObject({ ...todo(22), done: true });
    live.stop();
  });

  it('after a must-refetch mid-start, holds exactly the server rows: nothing stale from SQLite', async () => {
    const { driver, reached, open } = gatedDriver(db, backgroundPage);
    // the server's log was reset (another handle) and it now has fewer rows, and one new one
    const reset = createFakeShape({ key: 'id', handle: 'fake-shape-2' });
    for (let i = 0; i < 50; i++) reset.insert(todo(i) as never);
    reset.insert({ ...todo(99_999), title: 'new after reset' } as never);
    const live = start(driver, heldUntil(reached, reset.fetchWith(never)));
    const query = createLiveQueryCollection((q) =>
      q.from({ row: live.collection }).where(({ row }) => eq(row.project, 'p9')),
    );
    await query.preload();
    await waitUntil(() => reset.requests.some((r) => r.offset === '-1'), 10_000);
    open();
    await live.collection.toArrayWhenReady();
    await waitUntil(() => live.collection.size === 51 && query.size === 6, 10_000);
    expect([...live.collection.keys()].sort()).toEqual([...reset.rows.keys()].sort());
    expect([...query.values()].map((r) => r.id).sort()).toEqual(
      [...reset.rows.values()]
        .filter((r) => r['project'] === 'p9')
        .map((r) => String(r['id']))
        .sort(),
    );
    await waitUntil(() => (db.prepare('SELECT count(*) AS n FROM todos').get() as { n: number }).n === 51);
    live.stop();
  });
});
