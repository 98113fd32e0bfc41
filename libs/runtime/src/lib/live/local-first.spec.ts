import Database from 'better-sqlite3';
import { betterSqlite3Driver } from '../sqlite/sqlite-driver';
import { sqliteLocalStore } from '../sqlite/local-store';
import { createFakeApi, waitUntil } from '../mock/fake-api';
import { draftKey } from '../writes/draft-keys';
import { createSyncClient } from '../client/sync-client';
import { createFakeShape } from '../mock/fake-shape';
import { createLiveCollection, type LiveModelConfig } from './live-collection';
import { todoMigrations, todoTable } from '../../../test/todo-table';

/** Local-first on a real SQLite: synced rows saved, a restart shows them offline and resumes the stream. */
interface Todo {
  id: string;
  title: string;
  done: boolean;
  meta: { tags: string[] } | null;
}
const table = todoTable;
const migrations = todoMigrations;
const passthrough = { '~standard': { version: 1 as const, vendor: 'test', validate: (value: unknown) => ({ value }) } };

/** A live Todo collection on `db`'s local store, its requests through `fetchImpl`; `writes` adds the API writes and retry. */
function start(db: Database.Database, fetchImpl: typeof fetch, writes: Partial<LiveModelConfig<Todo, string>> = {}) {
  return createLiveCollection<Todo, string>({
    id: 'test/todo',
    table: 'todos',
    columns: ['done', 'id', 'meta', 'title'],
    shapeUrl: () => 'http://api.test/v1/shape',
    fetch: () => fetchImpl,
    getKey: (row) => row.id,
    kinds: { done: 'boolean', id: 'string', meta: 'json', title: 'string' },
    rowSchema: passthrough,
    local: () =>
      sqliteLocalStore(betterSqlite3Driver(db), {
        scope: 'test/todo',
        shape: 'todos|done,id,meta,title',
        table,
        migrations,
      }),
    ...writes,
  });
}
const down: typeof fetch = async () => {
  throw new TypeError('fetch failed');
};
const plain = (rows: object[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith('$'))));
const stored = (db: Database.Database) => db.prepare('SELECT id, done, meta, title FROM todos ORDER BY id').all();

describe('a live collection on a local SQLite store', () => {
  const db = new Database(':memory:');
  const shape = createFakeShape({ key: 'id' });
  const api = shape.fetchWith(async () => new Response(null, { status: 404 }));

  it('saves every synced row, and where the stream stands, as batches commit', async () => {
    shape.insert({ id: 'a', title: 'First', done: false, meta: { tags: ['x'] } });
    shape.insert({ id: 'b', title: 'Second', done: true, meta: null });
    const live = start(db, api);
    await live.collection.preload();
    await waitUntil(() => stored(db).length === 2);
    expect(stored(db)).toEqual([
      { id: 'a', done: 0, meta: '{"tags":["x"]}', title: 'First' },
      { id: 'b', done: 1, meta: null, title: 'Second' },
    ]);
    shape.update('a', { title: 'First, renamed' });
    shape.remove('b');
    await waitUntil(() => stored(db).length === 1 && (stored(db)[0] as { title: string }).title === 'First, renamed');
    expect(db.prepare('SELECT scope, handle, offset FROM sync_patterns_streams').all()).toEqual([
      { scope: 'test/todo', handle: 'fake-shape-1', offset: '4_0' },
    ]);
    live.stop();
  });

  it('starts from the stored rows with the server down: data at once, status offline', async () => {
    const live = start(db, down);
    await live.collection.preload();
    expect(plain(live.collection.toArray)).toEqual([
      { id: 'a', title: 'First, renamed', done: false, meta: { tags: ['x'] } },
    ]);
    await waitUntil(() => live.status.status === 'offline');
    live.stop();
  });

  it('with the server back, resumes from the stored offset instead of downloading the shape again', async () => {
    shape.insert({ id: 'c', title: 'While away', done: false, meta: null });
    const before = shape.requests.length;
    const live = start(db, api);
    await live.collection.preload();
    await waitUntil(() => live.collection.has('c'));
    expect(shape.requests[before]).toMatchObject({ offset: '4_0' });
    expect(shape.requests.slice(before).some((r) => r.offset === '-1')).toBe(false);
    expect(plain(live.collection.toArray).map((r) => r['id'])).toEqual(['a', 'c']);
    await waitUntil(() => stored(db).length === 2);
    live.stop();
  });
});

describe('writes made while the API cannot be reached', () => {
  const db = new Database(':memory:');
  const shape = createFakeShape({ key: 'id' });
  const api = createFakeApi();
  let down = true;
  /** A proxy in front of the API answers 502 while the API is down (Vite's dev server does). */
  let gatewayDown = false;
  const network: typeof fetch = shape.fetchWith(async (input, init) => {
    if (down) throw new TypeError('fetch failed');
    if (gatewayDown) return new Response('Bad Gateway', { status: 502 });
    return api.fetch(input, init);
  });
  const client = createSyncClient({ baseUrl: 'http://api.test', fetch: network });

  const startWithWrites = () =>
    start(db, network, {
      retry: { attempts: 2, backoff: 'fixed', delayMs: 10 },
      send: (request) => client.requestWithResponse(request),
      insert: (row) => ({ method: 'POST', path: '/todos', body: row }),
      update: (id, changes) => ({ method: 'PATCH', path: '/todos/{id}', pathParams: { id }, body: changes }),
    });
  const outbox = () => db.prepare('SELECT op, key, body, state FROM sync_patterns_outbox ORDER BY seq').all();

  it('are shown at once, kept in the outbox across a restart, and sent in order, once each, when the API is back', async () => {
    shape.insert({ id: 'a', title: 'Synced before', done: false, meta: null });
    down = false;
    const first = startWithWrites();
    await first.collection.preload();
    down = true;

    first.collection.insert({ id: 'n', title: 'Made offline', done: false, meta: null });
    first.collection.update('a', (draft) => void (draft.title = 'Renamed offline'));
    expect(first.collection.get('n')?.title).toBe('Made offline');
    await waitUntil(() => outbox().length === 2);
    expect(outbox()).toEqual([
      { op: 'insert', key: '"n"', body: '{"id":"n","title":"Made offline","done":false,"meta":null}', state: 'queued' },
      { op: 'update', key: '"a"', body: '{"title":"Renamed offline"}', state: 'queued' },
    ]);
    await waitUntil(() => first.status.pendingWrites === 2);
    first.stop(); // the page is closed while offline

    const second = startWithWrites();
    await waitUntil(() => second.collection.has('n') && second.collection.get('a')?.title === 'Renamed offline'); // shown again before the API is back
    const created = api.hold(201, (request) => request.body as object, { 'x-sync-txid': '201' });
    const renamed = api.hold(
      200,
      { id: 'a', title: 'Renamed offline', done: false, meta: null },
      { 'x-sync-txid': '202' },
    );
    down = false;
    const post = await created.taken;
    created.release();
    shape.insert(post.body as Record<string, unknown>, 201);
    const patch = await renamed.taken;
    renamed.release();
    shape.update('a', patch.body as Record<string, unknown>, 202);
    await waitUntil(() => outbox().length === 0 && second.status.pendingWrites === 0);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /todos', 'PATCH /todos/a']);
    expect(plain(second.collection.toArray)).toEqual([
      { id: 'a', title: 'Renamed offline', done: false, meta: null },
      { id: 'n', title: 'Made offline', done: false, meta: null },
    ]);
    second.stop();
  });

  it('wait out a gateway answering 502 for longer than x-sync.retry allows, then are sent', async () => {
    down = false;
    api.reset();
    const live = startWithWrites();
    await live.collection.preload();
    gatewayDown = true;
    const write = live.collection.insert({ id: 'g', title: 'Behind a proxy', done: false, meta: null });
    // retry allows 2 attempts 10 ms apart; a 502 is not a refusal, so the write is still waiting
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.collection.get('g')?.title).toBe('Behind a proxy');
    expect(outbox()).toHaveLength(1);
    const created = api.hold(201, (request) => request.body as object, { 'x-sync-txid': '301' });
    gatewayDown = false;
    const post = await created.taken;
    created.release();
    shape.insert(post.body as Record<string, unknown>, 301);
    await write.isPersisted.promise;
    // confirmed once the batch carrying its txid is saved (the answer or the stream may come first)
    await waitUntil(() => outbox().length === 0 && live.status.pendingWrites === 0);
    live.stop();
  });

  it('a write the API refuses once back is rolled back, kept and listed until discarded', async () => {
    down = false;
    api.reset();
    const live = startWithWrites();
    await live.collection.preload();
    down = true;
    const write = live.collection.insert({ id: 'x', title: 'Refused later', done: false, meta: null });
    await waitUntil(() => outbox().length === 1);
    api.answer(422, { detail: 'no' });
    down = false;
    await expect(write.isPersisted.promise).rejects.toMatchObject({ kind: 'http', status: 422 });
    expect(live.collection.has('x')).toBe(false);
    await waitUntil(() => live.status.refusedWrites.length === 1);
    expect(outbox()).toMatchObject([{ op: 'insert', key: '"x"', state: 'refused' }]);
    expect(live.status.refusedWrites[0]).toMatchObject({
      model: 'test/todo',
      op: 'insert',
      key: 'x',
      request: { method: 'POST', path: '/todos' },
      refusal: { kind: 'http', status: 422 },
    });
    expect(live.status.pendingWrites).toBe(0);
    await live.status.refusedWrites[0].discard();
    expect(outbox()).toEqual([]);
    expect(live.status.refusedWrites).toEqual([]);
    live.stop();
  });
});

describe('a refused write, retried', () => {
  const db = new Database(':memory:');
  const shape = createFakeShape({ key: 'id' });
  const api = createFakeApi();
  const network = shape.fetchWith(api.fetch);
  const client = createSyncClient({ baseUrl: 'http://api.test', fetch: network });

  it('is sent again with a new Idempotency-Key, shown until confirmed, and leaves the outbox', async () => {
    const live = start(db, network, {
      send: (request) => client.requestWithResponse(request),
      insert: (row) => ({ method: 'POST', path: '/todos', body: row }),
    });
    await live.collection.preload();
    api.answer(409, { detail: 'taken' });
    const write = live.collection.insert({ id: 'r', title: 'Retried', done: false, meta: null });
    await expect(write.isPersisted.promise).rejects.toMatchObject({ status: 409 });
    await waitUntil(() => live.status.refusedWrites.length === 1);
    const created = api.hold(201, (request) => request.body as object, { 'x-sync-txid': '601' });
    const retried = live.status.refusedWrites[0].retry();
    const post = await created.taken;
    expect(post.headers['idempotency-key']).not.toBe(api.requests[0].headers['idempotency-key']);
    expect(live.collection.get('r')?.title).toBe('Retried'); // shown again while it is sent
    created.release();
    shape.insert(post.body as Record<string, unknown>, 601);
    await retried;
    await waitUntil(() => live.status.pendingWrites === 0 && live.status.refusedWrites.length === 0);
    expect(db.prepare('SELECT count(*) AS n FROM sync_patterns_outbox').get()).toEqual({ n: 0 });
    expect(live.collection.get('r')?.title).toBe('Retried');
    live.stop();
  });
});

describe('writes of a row whose key the server chooses', () => {
  const db = new Database(':memory:');
  const shape = createFakeShape({ key: 'id' });
  const api = createFakeApi();
  let down = true;
  const network: typeof fetch = shape.fetchWith(async (input, init) => {
    if (down) throw new TypeError('fetch failed');
    return api.fetch(input, init);
  });
  const client = createSyncClient({ baseUrl: 'http://api.test', fetch: network });
  const startWithServerKeys = () =>
    start(db, network, {
      send: (request) => client.requestWithResponse(request),
      // the draft key is the client's placeholder: never sent
      insert: (row) => ({
        method: 'POST',
        path: '/todos',
        body: Object.fromEntries(Object.entries(row).filter(([name]) => name !== 'id')),
      }),
      update: (id, changes) => ({ method: 'PATCH', path: '/todos/{id}', pathParams: { id }, body: changes }),
      savedKeyField: 'id',
    });
  const outbox = () =>
    db.prepare('SELECT op, key, request FROM sync_patterns_outbox ORDER BY seq').all() as {
      op: string;
      key: string;
      request: string;
    }[];

  it('name the saved key once the create is answered, even across a restart, and never the draft', async () => {
    down = false;
    shape.insert({ id: 'srv-0', title: 'Synced before', done: false, meta: null });
    const first = startWithServerKeys();
    await first.collection.preload();
    down = true;
    const draft = draftKey('string') as string;
    first.collection.insert({ id: draft, title: 'Made offline', done: false, meta: null });
    first.collection.update(draft, (row) => void (row.title = 'Edited before it was saved'));
    await waitUntil(() => outbox().length === 2);
    expect(outbox().map((e) => [e.op, JSON.parse(e.key)])).toEqual([
      ['insert', draft],
      ['update', draft],
    ]);
    first.stop();

    // another run: the draft key is not known as one any more, only the outbox remembers it
    const second = startWithServerKeys();
    const created = api.hold(201, (request) => ({ ...(request.body as object), id: 'srv-1' }), {
      'x-sync-txid': '501',
    });
    const edited = api.hold(
      200,
      { id: 'srv-1', title: 'Edited before it was saved', done: false, meta: null },
      { 'x-sync-txid': '502' },
    );
    down = false;
    const post = await created.taken;
    expect(post.body).toEqual({ title: 'Made offline', done: false, meta: null });
    created.release();
    const patch = await edited.taken;
    expect(`${patch.method} ${patch.path}`).toBe('PATCH /todos/srv-1');
    expect(patch.body).toEqual({ title: 'Edited before it was saved' });
    edited.release();
    shape.insert({ id: 'srv-1', title: 'Made offline', done: false, meta: null }, 501);
    shape.update('srv-1', { title: 'Edited before it was saved' }, 502);
    await waitUntil(() => outbox().length === 0 && second.status.pendingWrites === 0);
    await waitUntil(() => second.collection.get('srv-1')?.title === 'Edited before it was saved');
    expect(second.status.refusedWrites).toEqual([]);
    second.stop();
  });
});
