import Database from 'better-sqlite3';
import { z } from 'zod';
import { change, startHostileShapeServer, type HostileShapeServer } from '../../../test/hostile-shape-server';
import { waitUntil } from '../mock/fake-api';
import { betterSqlite3Driver } from '../sqlite/sqlite-driver';
import { sqliteLocalStore } from '../sqlite/local-store';
import { createLiveCollection } from './live-collection';
import { todoMigrations, todoTable } from '../../../test/todo-table';

/**
 * A malicious shape server against the runtime: a real HTTP server speaking Electric's protocol to
 * the real Electric client inside a live collection. Every change it sends that is not a row of the
 * model — whole or merged — must never reach the app's collection nor the local store; the status
 * shows the error, and good changes still apply.
 */
interface Todo {
  id: string;
  title: string;
  done: boolean;
  meta: { tags: string[] } | null;
}
const rowSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    done: z.boolean(),
    meta: z.object({ tags: z.array(z.string()) }).nullable(),
  })
  // a rule on the whole row: only a merged update can break it
  .refine((row) => !(row.done && row.title === ''), { message: 'a done todo needs a title' });
const isTodo = (row: unknown) => rowSchema.safeParse(row).success;
// what Electric's schema header says of the table: Postgres text values, parsed by the client
const schema = {
  id: { type: 'text', pk_index: 0 },
  title: { type: 'text' },
  done: { type: 'bool' },
  meta: { type: 'jsonb' },
};
const todo = (id: string, title: string, extra: object = {}) =>
  change('insert', id, { id, title, done: 'f', meta: null, ...extra });

const table = todoTable;
const migrations = todoMigrations;
/** The stored rows (none before the store has made its table). */
const stored = (db: Database.Database) =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'todos'`).get()
    ? db.prepare('SELECT id, done, meta, title FROM todos ORDER BY id').all()
    : [];

/** A live Todo collection on `server` (and `db`'s local store), with every row it ever showed. */
function start(server: HostileShapeServer, db?: Database.Database) {
  const live = createLiveCollection<Todo, string>({
    id: 'test/todo',
    table: 'todos',
    columns: ['done', 'id', 'meta', 'title'],
    shapeUrl: () => server.url,
    getKey: (row) => row.id,
    kinds: { done: 'boolean', id: 'string', meta: 'json', title: 'string' },
    rowSchema,
    local:
      db &&
      (() =>
        sqliteLocalStore(betterSqlite3Driver(db), {
          scope: 'test/todo',
          shape: 'todos|done,id,meta,title',
          table,
          migrations,
        })),
  });
  const shown: unknown[] = [];
  live.collection.subscribeChanges(
    (changes) => changes.forEach((c) => c.type !== 'delete' && shown.push({ ...c.value })),
    { includeInitialState: true },
  );
  // a local store's collection is on demand: the subscription above loads it
  if (!db) void live.collection.preload();
  return { ...live, shown };
}
type Live = ReturnType<typeof start>;
const row = (live: Live, id: string) => {
  const value = live.collection.get(id) as Record<string, unknown> | undefined;
  return value && Object.fromEntries(Object.entries(value).filter(([name]) => !name.startsWith('$')));
};
/** The stream refused a change: in error with a sync SyncError naming `what`. */
const refused = async (live: Live, what: RegExp) => {
  await waitUntil(() => live.status.status === 'error', 5_000);
  expect(live.status.error).toMatchObject({ kind: 'sync', message: expect.stringMatching(what) });
};
const liveAgain = (live: Live) => waitUntil(() => live.status.status === 'live', 5_000);

jest.setTimeout(20_000);

describe('a malicious shape server, against a live collection', () => {
  let server: HostileShapeServer;
  let live: Live | undefined;
  afterEach(() => {
    live?.stop();
    live = undefined;
  });

  describe('in memory', () => {
    beforeEach(async () => {
      server = await startHostileShapeServer({ schema });
    });
    afterEach(() => server.close());

    it('(a) an insert missing a required column is refused; the good rows of the same answer and later ones apply', async () => {
      server.send([change('insert', 'a', { id: 'a', done: 'f', meta: null }), todo('b', 'Second')]);
      live = start(server);
      await refused(live, /insert without columns title/);
      await waitUntil(() => live!.collection.has('b'));
      expect(live.collection.has('a')).toBe(false);

      server.send([todo('a', 'First')]);
      await waitUntil(() => live!.collection.has('a'), 5_000);
      await liveAgain(live);
      expect(row(live, 'a')).toEqual({ id: 'a', title: 'First', done: false, meta: null });
      expect(live.shown.every(isTodo)).toBe(true);
    });

    it('(b) a partial update with a wrong type in a column it sends is refused, with or without a row to merge into', async () => {
      server.send([todo('a', 'First')]);
      live = start(server);
      await waitUntil(() => live!.collection.has('a'), 5_000);

      server.send([change('update', 'a', { id: 'a', title: { $gt: '' } })]);
      await refused(live, /does not match the schema \(title: /);
      // no row: an insert refused, then Electric passes its update on (it saw the key)
      server.send([change('insert', 'z', { id: 'z' }), change('update', 'z', { id: 'z', title: 42 })]);
      await waitUntil(
        () => live!.status.error?.message.includes('an update whose columns do not match the schema (title: ') === true,
        5_000,
      );
      expect(live.collection.has('z')).toBe(false);

      server.send([change('update', 'a', { id: 'a', title: 'Renamed' })]);
      await waitUntil(() => row(live!, 'a')?.['title'] === 'Renamed', 5_000);
      await liveAgain(live);
      expect(live.shown.every(isTodo)).toBe(true);
    });

    it('(c) a partial update is merged with the current row, then checked: refused when the merge breaks the schema, applied when not', async () => {
      server.send([todo('a', '')]);
      live = start(server);
      await waitUntil(() => live!.collection.has('a'), 5_000);

      server.send([change('update', 'a', { id: 'a', done: 't' })]);
      await refused(live, /a done todo needs a title/);
      expect(row(live, 'a')).toMatchObject({ done: false });

      server.send([change('update', 'a', { id: 'a', title: 'Named' })]);
      await waitUntil(() => row(live!, 'a')?.['title'] === 'Named', 5_000);
      await liveAgain(live);
      server.send([change('update', 'a', { id: 'a', done: 't' })]);
      await waitUntil(() => row(live!, 'a')?.['done'] === true, 5_000);
      expect(live.status.status).toBe('live');
      expect(live.shown.every(isTodo)).toBe(true);
    });

    it('(d) a change with a column the shape does not have is refused alone: the rest of its answer applies', async () => {
      server.send([todo('a', 'First')]);
      live = start(server);
      await waitUntil(() => live!.collection.has('a'), 5_000);

      server.send([
        todo('x', 'Leaked', { internal_notes: 'staff only' }),
        change('update', 'a', { id: 'a', internal_notes: 'staff only' }),
        todo('b', 'Second'),
      ]);
      await refused(live, /columns the shape does not have \(internal_notes\)/);
      await waitUntil(() => live!.collection.has('b'), 5_000);
      expect(live.collection.has('x')).toBe(false);
      expect(live.shown.some((value) => 'internal_notes' in (value as object))).toBe(false);

      server.send([todo('c', 'Third')]);
      await waitUntil(() => live!.collection.has('c'), 5_000);
      await liveAgain(live);
    });

    it('(e) a row that moves into the shape must be whole', async () => {
      server.send([todo('a', 'First')]);
      live = start(server);
      await waitUntil(() => live!.collection.has('a'), 5_000);

      const moveIn = { is_move_in: true, tags: ['p1'] };
      server.send([change('insert', 'm', { id: 'm', title: 'Moved in' }, moveIn)]);
      await refused(live, /insert without columns done, meta/);
      expect(live.collection.has('m')).toBe(false);

      server.send([change('insert', 'm', { id: 'm', title: 'Moved in', done: 'f', meta: '{"tags":["p1"]}' }, moveIn)]);
      await waitUntil(() => live!.collection.has('m'), 5_000);
      await liveAgain(live);
      expect(row(live, 'm')).toEqual({ id: 'm', title: 'Moved in', done: false, meta: { tags: ['p1'] } });
      expect(live.shown.every(isTodo)).toBe(true);
    });
  });

  describe('with a local store', () => {
    const db = new Database(':memory:');
    // one server for both: the second test resumes the stream where the first stopped
    beforeAll(async () => {
      server = await startHostileShapeServer({ schema });
    });
    afterAll(async () => {
      await server.close();
      db.close();
    });

    it('never saves a refused change: a bad partial update, a move-in that is not whole', async () => {
      server.send([todo('a', 'First')]);
      live = start(server, db);
      await waitUntil(() => stored(db).length === 1, 5_000);

      server.send([change('update', 'a', { id: 'a', title: 42 })]);
      await refused(live, /title: /);
      server.send([change('insert', 'm', { id: 'm', title: 'Moved in' }, { is_move_in: true, tags: ['p1'] })]);
      await waitUntil(() => /insert without columns/.test(live!.status.error?.message ?? ''), 5_000);

      // Electric passes a second insert of a key on as an update: the row is still inserted
      server.send([
        todo('c', 'Third'),
        change(
          'insert',
          'm',
          { id: 'm', title: 'Moved in', done: 'f', meta: null },
          { is_move_in: true, tags: ['p1'] },
        ),
      ]);
      await waitUntil(() => stored(db).length === 3, 5_000);
      await liveAgain(live);
      expect(stored(db)).toEqual([
        { id: 'a', done: 0, meta: null, title: 'First' },
        { id: 'c', done: 0, meta: null, title: 'Third' },
        { id: 'm', done: 0, meta: null, title: 'Moved in' },
      ]);
      expect(row(live, 'm')).toMatchObject({ title: 'Moved in' });
      expect(live.shown.every(isTodo)).toBe(true);
    });

    it('refuses a bad partial update after a restart too, whether or not the row is shown yet', async () => {
      // the same device and server: the stream resumes where the last test's stopped
      live = start(server, db);
      server.send([change('update', 'a', { id: 'a', title: 42 })]);
      await refused(live, /title: /);
      server.send([todo('d', 'Fourth')]);
      await waitUntil(() => stored(db).length === 4, 5_000);
      await liveAgain(live);
      expect(stored(db)).toContainEqual({ id: 'a', done: 0, meta: null, title: 'First' });
      await waitUntil(() => live!.collection.has('a'), 5_000);
      expect(live.shown.every(isTodo)).toBe(true);
    });

    it('saves a row that moves in whole, and deletes it when it moves out (a delete by key alone)', async () => {
      live = start(server, db);
      server.send([
        change(
          'insert',
          'n',
          { id: 'n', title: 'Moved in', done: 'f', meta: null },
          { is_move_in: true, tags: ['p2'] },
        ),
      ]);
      await waitUntil(() => live!.collection.has('n') && stored(db).length === 5, 5_000);
      server.send([{ headers: { event: 'move-out', patterns: [{ pos: 0, value: 'p2' }] } }]);
      await waitUntil(() => !live!.collection.has('n') && stored(db).length === 4, 5_000);
      expect(live.status.status).toBe('live');
    });
  });
});
