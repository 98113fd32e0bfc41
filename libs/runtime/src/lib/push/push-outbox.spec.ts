import Database from 'better-sqlite3';
import { MutationObserver, QueryClient } from '@tanstack/react-query';
import { waitUntil } from '../mock/fake-api';
import { closeLiveCollections, liveStatusesOf } from '../status/live-scope';
import { createModelKeys } from './model-keys';
import { afterStoredWrites, pushOutboxOf } from './push-outbox';
import {
  createMutationOptions,
  removeMutationOptions,
  updateMutationOptions,
  type PushModelBinding,
} from './push-mutations';
import { betterSqlite3Driver } from '../sqlite/sqlite-driver';
import { appSyncStatus } from '../status/app-sync-status';
import { createSyncClient } from '../client/sync-client';

/** Push writes through the outbox on a real SQLite file: stored before sending, replayed after a restart. */
interface Project {
  id: number;
  name: string;
  color?: string;
}

/**
 * A small API with the guarantees the example API gives: ids chosen by the server, and an
 * Idempotency-Key answered with its first answer. `down` makes every request fail as a network error.
 */
function projectApi() {
  const rows = new Map<number, Project>();
  const answered = new Map<string, Response>();
  const seen: { method: string; path: string; key: string | null; body: unknown }[] = [];
  const api = {
    rows,
    seen,
    down: false,
    /** Answers the next write with this status instead (once). */
    refuseNext: 0,
    /** Writes wait for this before the API handles them. */
    gate: Promise.resolve(),
    /** Called as each write arrives, before it is handled. */
    onWrite: (): void => undefined,
    fetch: (async (input: RequestInfo | URL, init: RequestInit = {}) => {
      if (api.down) throw new TypeError('fetch failed');
      const url = new URL(String(input));
      const method = (init.method ?? 'GET').toUpperCase();
      const key = new Headers(init.headers).get('idempotency-key');
      const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
      seen.push({ method, path: url.pathname, key, body });
      if (method === 'GET') return Response.json({ data: [...rows.values()] });
      api.onWrite();
      await api.gate;
      if (key && answered.has(key)) return answered.get(key)!.clone();
      let answer: Response;
      if (api.refuseNext) {
        answer = Response.json({ message: 'refused' }, { status: api.refuseNext });
        api.refuseNext = 0;
      } else {
        const id = Number(url.pathname.split('/')[2]);
        if (method === 'POST') {
          const row = { id: Math.max(0, ...rows.keys()) + 1, name: String(body!.name) };
          rows.set(row.id, row);
          answer = Response.json(row, { status: 201 });
        } else if (!rows.has(id)) answer = Response.json({ message: 'not found' }, { status: 404 });
        else if (method === 'PATCH') {
          const row = { ...rows.get(id)!, ...body };
          rows.set(id, row);
          answer = Response.json(row);
        } else {
          rows.delete(id);
          answer = new Response(null, { status: 204 });
        }
      }
      if (key) answered.set(key, answer.clone());
      return answer;
    }) as typeof fetch,
  };
  return api;
}

const keys = createModelKeys<number, object>('api', 'project');

/** The generated binding's shape: requests sent through the app's client, the outbox on its local database. */
function bindingFor(
  api: ReturnType<typeof projectApi>,
  db: Database.Database | undefined,
): PushModelBinding<Project, number> {
  const client = createSyncClient({
    baseUrl: 'http://api.test',
    fetch: api.fetch,
    ...(db ? { localDatabase: betterSqlite3Driver(db) } : {}),
  });
  return {
    keys,
    rowId: (row) => row.id,
    itemsPath: ['data'],
    related: [],
    retry: { attempts: 1, backoff: 'fixed', delayMs: 10 },
    outbox: {
      scope: 'api/project',
      send: (request) => client.requestWithResponse(request),
      local: () => client.options.localDatabase,
      savedKeyField: 'id',
    },
  };
}

/** The mutations' direct path: never taken when the model has an outbox target (the outbox sends). */
const direct = <T>(): Promise<T> => Promise.reject(new Error('the outbox sends'));

/** One run of the app: a QueryClient, the model's write options and its list read. */
function app(binding: PushModelBinding<Project, number>) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const create = new MutationObserver(
    qc,
    createMutationOptions(qc, binding, {
      send: direct,
      request: (input: { name: string }) => ({ method: 'POST', path: '/projects', body: input, bodyEncoding: 'json' }),
      keyKind: 'integer',
      rowOf: (row: Project) => row,
      draft: (input, draftKey) => ({ ...input, id: draftKey as number }),
    }),
  );
  const update = () =>
    new MutationObserver(
      qc,
      updateMutationOptions(qc, binding, {
        send: direct,
        request: (id: number, patch: { name?: string }) => ({
          method: 'PATCH',
          path: '/projects/{id}',
          pathParams: { id: String(id) },
          body: patch,
          bodyEncoding: 'json',
        }),
      }),
    );
  const remove = new MutationObserver(
    qc,
    removeMutationOptions(qc, binding, {
      send: direct,
      request: (id: number) => ({ method: 'DELETE', path: '/projects/{id}', pathParams: { id: String(id) } }),
    }),
  );
  const list = (fetchList: typeof fetch) =>
    qc.fetchQuery({
      queryKey: keys.list({}),
      queryFn: ({ client }) =>
        afterStoredWrites(client, binding, async () => (await fetchList('http://api.test/projects')) as unknown),
    });
  const status = () => liveStatusesOf(qc).find((s) => s.name === 'api/project');
  return { qc, create, update, remove, list, status, stop: () => closeLiveCollections(qc) };
}

/** The outbox's entries on the device (none before the outbox made its table). */
const stored = (db: Database.Database) => {
  const made = db.prepare(`SELECT 1 FROM sqlite_master WHERE name = 'sync_patterns_outbox'`).all().length > 0;
  return (
    made
      ? db
          .prepare(
            `SELECT "op", "key", "state", "idempotency_key" AS "idempotencyKey" FROM "sync_patterns_outbox" ORDER BY "seq"`,
          )
          .all()
      : []
  ) as { op: string; key: string; state: string; idempotencyKey: string }[];
};

describe('push writes through the outbox (a local database)', () => {
  it('are stored before they are sent, and leave the outbox when the API answers', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    const run = app(bindingFor(api, db));
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const storedWhenSent: number[] = [];
    api.onWrite = () => storedWhenSent.push(stored(db).length);
    const done = run.create.mutate({ name: 'First' });
    await waitUntil(() => api.seen.length === 1);
    expect(storedWhenSent).toEqual([1]); // stored before its request went out
    expect(stored(db)).toMatchObject([{ op: 'insert', state: 'queued' }]);
    expect(run.status()?.pendingWrites).toBe(1);
    // one write, counted once: by the outbox, not again as a pending mutation
    expect(appSyncStatus(run.qc).pendingWrites).toBe(1);
    open();
    await expect(done).resolves.toEqual({ id: 1, name: 'First' });
    expect(stored(db)).toEqual([]);
    expect(api.rows.get(1)).toEqual({ id: 1, name: 'First' });
    expect(run.status()?.pendingWrites).toBe(0);
    run.stop();
  });

  it('wait offline, survive a restart, and go out first at the next start, each with its own Idempotency-Key', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    api.rows.set(7, { id: 7, name: 'Seven' });
    const first = app(bindingFor(api, db));
    api.down = true;
    void first.create.mutate({ name: 'Offline' }).catch(() => undefined);
    void first
      .update()
      .mutate({ id: 7, patch: { name: 'Renamed' } })
      .catch(() => undefined);
    await waitUntil(() => stored(db).length === 2);
    await waitUntil(() => first.status()?.status === 'offline');
    expect(first.status()?.pendingWrites).toBe(2);
    const keysBefore = stored(db).map((e) => e.idempotencyKey);
    first.stop(); // the app closes with both writes unsent

    api.down = false;
    const second = app(bindingFor(api, db));
    const read = (await second.list(api.fetch)) as Response;
    // the read waited for the stored writes: it sees them
    expect(((await read.json()) as { data: Project[] }).data).toEqual([
      { id: 7, name: 'Renamed' },
      { id: 8, name: 'Offline' },
    ]);
    const writes = api.seen.filter((r) => r.method !== 'GET');
    expect(writes.slice(-2).map((r) => [r.method, r.path, r.key])).toEqual([
      ['POST', '/projects', keysBefore[0]],
      ['PATCH', '/projects/7', keysBefore[1]],
    ]);
    await waitUntil(() => stored(db).length === 0);
    expect(second.status()?.pendingWrites).toBe(0);
    second.stop();
  });

  it('do not hold reads back while the API cannot take them: the first unreachable write ends the wait', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    const first = app(bindingFor(api, db));
    api.down = true;
    void first.create.mutate({ name: 'One' }).catch(() => undefined);
    void first.create.mutate({ name: 'Two' }).catch(() => undefined);
    await waitUntil(() => stored(db).length === 2);
    first.stop();

    // reads reach the API, writes do not (a gateway that refuses writes, a server still migrating)
    const reads = projectApi();
    const second = app(bindingFor(api, db));
    const read = (await second.list(reads.fetch)) as Response;
    expect(((await read.json()) as { data: Project[] }).data).toEqual([]);
    expect(stored(db)).toHaveLength(2); // still waiting, in order
    api.down = false;
    await waitUntil(() => stored(db).length === 0, 10_000);
    expect([...api.rows.values()].map((p) => p.name)).toEqual(['One', 'Two']);
    second.stop();
  });

  it('sent again after an answer that was lost are applied once (the same Idempotency-Key)', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    // the API applies the create, then the connection drops before its answer arrives
    const fetchOnce = api.fetch;
    let drop = true;
    api.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const answer = await fetchOnce(input, init);
      if (drop && init?.method === 'POST') {
        drop = false;
        throw new TypeError('connection reset');
      }
      return answer;
    }) as typeof fetch;
    const binding = bindingFor(api, db);
    const run = app(binding);
    await expect(run.create.mutate({ name: 'Once' })).resolves.toEqual({ id: 1, name: 'Once' });
    expect([...api.rows.values()]).toEqual([{ id: 1, name: 'Once' }]);
    expect(api.seen.filter((r) => r.method === 'POST')).toHaveLength(2);
    run.stop();
  });

  it('refused are kept and listed, across a restart, until retried or discarded', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    const first = app(bindingFor(api, db));
    api.refuseNext = 422;
    await expect(first.create.mutate({ name: 'Refused' })).rejects.toMatchObject({ status: 422 });
    expect(first.status()?.refusedWrites).toMatchObject([
      { model: 'api/project', op: 'insert', refusal: { status: 422 } },
    ]);
    expect(appSyncStatus(first.qc).refusedWrites).toEqual(first.status()?.refusedWrites);
    expect(first.status()?.pendingWrites).toBe(0);
    first.stop();

    const second = app(bindingFor(api, db));
    pushOutboxOf(second.qc, bindingFor(api, db));
    await waitUntil(() => second.status()?.refusedWrites.length === 1);
    const [refused] = second.status()!.refusedWrites;
    const keyBefore = stored(db)[0].idempotencyKey;
    await refused.retry();
    expect(api.rows.get(1)).toEqual({ id: 1, name: 'Refused' });
    expect(api.seen.at(-1)!.key).not.toBe(keyBefore); // a new key: the old one's answer was the refusal
    expect(stored(db)).toEqual([]);
    expect(second.status()?.refusedWrites).toEqual([]);

    api.refuseNext = 409;
    await expect(second.remove.mutate(1)).rejects.toMatchObject({ status: 409 });
    expect(stored(db)).toMatchObject([{ op: 'delete', state: 'refused' }]);
    await second.status()!.refusedWrites[0].discard();
    expect(stored(db)).toEqual([]);
    expect(second.status()?.refusedWrites).toEqual([]);
    second.stop();
  });

  it('name the saved key once the server chose it: an edit of a row still under its draft key follows the create', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    api.rows.set(1, { id: 1, name: 'Taken' });
    const run = app(bindingFor(api, db));
    run.qc.setQueryData(keys.list({}), { data: [] });
    api.down = true;
    const created = run.create.mutate({ name: 'Draft' });
    await waitUntil(() => stored(db).length === 1);
    const draftId = (run.qc.getQueryData(keys.list({})) as { data: Project[] }).data[0].id;
    expect(draftId).toBeLessThan(0);
    const renamed = run.update().mutate({ id: draftId, patch: { name: 'Draft, renamed' } });
    await waitUntil(() => stored(db).length === 2);
    api.down = false;
    await created;
    await renamed;
    expect(api.seen.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual(['/projects/2']);
    expect(api.rows.get(2)).toEqual({ id: 2, name: 'Draft, renamed' });
    expect(stored(db)).toEqual([]);
    run.stop();
  });

  it('keep the order of the calls, whatever each one waits for first (validation, the outbox opening)', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    api.rows.set(7, { id: 7, name: 'Seven' });
    const binding = bindingFor(api, db);
    const qc = new QueryClient();
    // the update validates asynchronously; the delete has nothing to validate
    const update = new MutationObserver(
      qc,
      updateMutationOptions(qc, binding, {
        send: direct,
        validator: {
          '~standard': {
            version: 1,
            vendor: 'test',
            validate: async (value: unknown) => (await new Promise((r) => setTimeout(r, 20)), { value }),
          },
        },
        request: (id: number, patch: { name?: string }) => ({
          method: 'PATCH',
          path: '/projects/{id}',
          pathParams: { id: String(id) },
          body: patch,
          bodyEncoding: 'json',
        }),
      }),
    );
    const remove = new MutationObserver(
      qc,
      removeMutationOptions(qc, binding, {
        send: direct,
        request: (id: number) => ({ method: 'DELETE', path: '/projects/{id}', pathParams: { id: String(id) } }),
      }),
    );
    const renamed = update.mutate({ id: 7, patch: { name: 'Renamed' } });
    const removed = remove.mutate(7);
    await Promise.all([renamed, removed]);
    expect(api.seen.filter((r) => r.method !== 'GET').map((r) => r.method)).toEqual(['PATCH', 'DELETE']);
    expect(api.rows.has(7)).toBe(false);
    closeLiveCollections(qc);
  });

  it('send a refused write once however often retry() is called, and say the API answered after an offline spell', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    const run = app(bindingFor(api, db));
    api.down = true;
    const first = run.create.mutate({ name: 'Conflicting' });
    await waitUntil(() => run.status()?.status === 'offline');
    api.down = false;
    api.refuseNext = 409;
    await expect(first).rejects.toMatchObject({ status: 409 });
    expect(run.status()?.status).toBe('live'); // the API answered: not offline any more
    expect(appSyncStatus(run.qc).status).not.toBe('offline');
    const [refused] = run.status()!.refusedWrites;
    await Promise.all([refused.retry(), refused.retry()]); // a double click
    expect([...api.rows.values()].map((p) => p.name)).toEqual(['Conflicting']);
    expect(stored(db)).toEqual([]);
    run.stop();
  });

  it('never hold a read forever: the app stopping mid-replay lets it go on', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    const first = app(bindingFor(api, db));
    api.down = true;
    void first.create.mutate({ name: 'Waiting' }).catch(() => undefined);
    await waitUntil(() => stored(db).length === 1);
    first.stop();

    const reads = projectApi();
    const second = app(bindingFor(api, db));
    const read = second.list(reads.fetch);
    second.stop(); // sign-out while the replay's first try has not happened yet
    const started = Date.now();
    await read;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(stored(db)).toHaveLength(1); // still there for the next start
  });

  it('go to the outbox of the moment: options made before a sign-out still store and send the write', async () => {
    const api = projectApi();
    const db = new Database(':memory:');
    const run = app(bindingFor(api, db));
    run.stop(); // closeLiveCollections: the outbox the options first saw is stopped
    await expect(run.create.mutate({ name: 'After' })).resolves.toMatchObject({ name: 'After' });
    expect(stored(db)).toEqual([]);
    run.stop();
  });

  it("keep a waiting write over a fresh read: the server's other changes show under it", async () => {
    const api = projectApi();
    api.rows.set(1, { id: 1, name: 'Start', color: 'red' });
    api.rows.set(2, { id: 2, name: 'Gone soon' });
    const binding = bindingFor(api, undefined);
    const run = app(binding);
    const read = () =>
      run.qc.fetchQuery({
        queryKey: keys.list({}),
        queryFn: async () => (await (await api.fetch('http://api.test/projects')).json()) as { data: Project[] },
        staleTime: 0,
      });
    await read();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const renamed = run.update().mutate({ id: 1, patch: { name: 'Mine' } });
    const removed = run.remove.mutate(2);
    await waitUntil(() => api.seen.some((r) => r.method === 'PATCH'));
    // meanwhile another client changes the row's other field, and a read comes back without the waiting writes
    api.rows.set(1, { id: 1, name: 'Start', color: 'blue' });
    await read();
    expect((run.qc.getQueryData(keys.list({})) as { data: Project[] }).data).toEqual([
      { id: 1, name: 'Mine', color: 'blue' },
    ]);
    open();
    await Promise.all([renamed, removed]);
    await read();
    expect((run.qc.getQueryData(keys.list({})) as { data: Project[] }).data).toEqual([
      { id: 1, name: 'Mine', color: 'blue' },
    ]);
    run.stop();
  });

  it('go through an outbox in memory without a local database: refusals listed, nothing kept for a restart', async () => {
    const api = projectApi();
    const binding = bindingFor(api, undefined);
    const run = app(binding);
    expect(pushOutboxOf(run.qc, binding)).toBeDefined();
    await run.create.mutate({ name: 'kept' });
    api.refuseNext = 422;
    await expect(run.create.mutate({ name: 'refused' })).rejects.toMatchObject({ status: 422 });
    expect(appSyncStatus(run.qc).refusedWrites).toMatchObject([{ op: 'insert', refusal: { status: 422 } }]);
    expect([...api.rows.values()].map((r) => r.name)).toEqual(['kept']);
    run.stop();
  });
});
