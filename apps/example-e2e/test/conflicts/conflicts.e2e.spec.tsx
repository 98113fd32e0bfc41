import { isSyncError, TransactionError, type RefusedWrite } from '@sync-patterns/runtime';
import { act, waitFor } from '@testing-library/react';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestServer, type TestServer } from '../../../example-api/src/testing';
import { ETAG_VARIANT, STRATEGIES, type Strategy } from '../mode-variants';
import { deviceNetwork, librariesOf, startClient, type Client, type DeviceNetwork } from './conflict-clients';

/**
 * Each conflict strategy, with Todo in live mode and Project in push mode, as two clients of the
 * example API meet it: client A writes based on version 1 while client B's write lands first (held
 * at A's network until then), online; and A offline, its write kept across a reload and replayed
 * after B's. What each strategy must leave on the server, on A's screen, and in A's conflict list.
 */
let server: TestServer;
let dir: string;
const started: Client[] = [];
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sp-conflicts-'));
  server = await startTestServer();
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  for (const client of started.splice(0)) client.quit();
});

const api = async (method: string, url: string, body?: unknown) => {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...server.staff.headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
};

/** A fresh project with one todo, both at version 1. */
async function seed() {
  const owner = await api('POST', '/users', { email: `${crypto.randomUUID()}@example.com`, name: 'O', role: 'member' });
  const project = await api('POST', '/projects', { name: 'Start', owner_id: owner['id'] });
  const todo = await api('POST', '/todos', {
    id: crypto.randomUUID(),
    project_id: project['id'],
    title: 'Start',
    status: 'todo',
    priority: 1,
    due_at: null,
  });
  return { projectId: String(project['id']), todoId: String(todo['id']) };
}

/** The two models under test, and what "the title" and "another field" are in each. */
const MODELS = [
  {
    model: 'Todo (live)',
    row: (c: Client) => c.current().todo.data as Record<string, unknown> | undefined,
    read: (ids: { todoId: string }) => api('GET', `/todos/${ids.todoId}`),
    update: (c: Client, ids: { todoId: string }, patch: Record<string, unknown>): Promise<unknown> =>
      c.current().todos.update(ids.todoId, patch),
    title: 'title',
    other: { status: 'done' },
  },
  {
    model: 'Project (push)',
    row: (c: Client) => c.current().project.data as Record<string, unknown> | undefined,
    read: (ids: { projectId: string }) => api('GET', `/projects/${ids.projectId}`),
    update: (c: Client, ids: { projectId: string }, patch: Record<string, unknown>): Promise<unknown> =>
      c.current().projects.update(ids.projectId, patch),
    title: 'name',
    other: { description: 'Theirs too' },
  },
] as const;
type Model = (typeof MODELS)[number];
type Ids = Awaited<ReturnType<typeof seed>>;

/** custom: the apps' resolvers keep both titles. */
function registerResolvers(strategy: Strategy, client: string) {
  if (strategy !== 'custom') return;
  const { todo, project } = librariesOf(strategy, client);
  todo.resolveTodoConflicts((_base, local, server) => ({ ...server, title: `${local.title} / ${server.title}` }));
  project.resolveProjectConflicts((_base, local, server) => ({ ...server, name: `${local.name} / ${server.name}` }));
}

function start(
  strategy: Strategy | typeof ETAG_VARIANT,
  client: string,
  ids: Ids,
  network: DeviceNetwork,
  dbFile?: string,
) {
  if (strategy !== ETAG_VARIANT) registerResolvers(strategy, client);
  const app = startClient(strategy, client, { server, network, dbFile, ...ids });
  started.push(app);
  return app;
}

/** A's write, then B's on the same row: A's reaches the API only after B's has landed. */
async function raceOnline(
  strategy: Strategy | typeof ETAG_VARIANT,
  m: Model,
  mine: Record<string, unknown>,
  theirs: Record<string, unknown>,
) {
  const ids = await seed();
  const [netA, netB] = [deviceNetwork(), deviceNetwork()];
  const a = start(strategy, 'a', ids, netA);
  const b = start(strategy, 'b', ids, netB);
  await waitFor(() => expect(m.row(a)?.['version']).toBe(1));
  await waitFor(() => expect(m.row(b)?.['version']).toBe(1));
  netA.hold();
  let outcome: Promise<unknown> = Promise.resolve();
  act(() => {
    outcome = m.update(a, ids, mine).then(
      (value) => ({ ok: value }),
      (error: unknown) => ({ error }),
    );
  });
  await waitFor(() => expect(netA.waiting).toBe(1));
  await act(() => m.update(b, ids, theirs));
  netA.release();
  const result = (await act(() => outcome)) as { ok?: unknown; error?: unknown };
  return { ids, a, b, netA, result, server: await m.read(ids) };
}

const statuses = (net: DeviceNetwork) => net.writes.map((w) => w.status);

describe.each(MODELS)('conflicts on $model', (m) => {
  const mine = { [m.title]: 'Mine' };
  const theirsSame = { [m.title]: 'Theirs' };

  describe('backend-wins', () => {
    it("refuses A's stale write: rolled back to the server's row, listed with base, local and server; retry makes A's change win", async () => {
      const { a, netA, result, server: after } = await raceOnline('backend-wins', m, mine, m.other);
      expect(isSyncError(result.error) && result.error.kind).toBe('conflict');
      expect(statuses(netA)).toEqual([412]);
      expect(netA.writes[0].ifMatch).toBe('"1"');
      expect(after).toMatchObject({ [m.title]: 'Start', ...m.other, version: 2 });
      await waitFor(() => expect(m.row(a)).toMatchObject({ [m.title]: 'Start', ...m.other, version: 2 }));
      const [conflict] = a.current().sync.conflicts;
      expect(conflict.refusal.conflict).toMatchObject({
        reason: 'stale',
        base: { version: 1, [m.title]: 'Start' },
        local: { [m.title]: 'Mine', version: 1 },
        server: { [m.title]: 'Start', ...m.other, version: 2 },
      });
      await act(() => conflict.retry());
      expect(netA.writes.at(-1)).toMatchObject({ ifMatch: '"2"', status: 200 });
      await waitFor(() => expect(a.current().sync.conflicts).toEqual([]));
      await waitFor(() => expect(m.row(a)).toMatchObject({ [m.title]: 'Mine', ...m.other, version: 3 }));
    });
  });

  describe('client-wins', () => {
    it('sends no precondition: the last write wins, field by field', async () => {
      const { netA, result, server: after } = await raceOnline('client-wins', m, mine, theirsSame);
      expect(result.error).toBeUndefined();
      expect(netA.writes).toMatchObject([{ ifMatch: null, status: 200 }]);
      expect(after).toMatchObject({ [m.title]: 'Mine', version: 3 });
    });
  });

  describe('field-merge', () => {
    it("keeps both sides' changes to different fields: merged on the server's row and sent again", async () => {
      const { a, netA, result, server: after } = await raceOnline('field-merge', m, mine, m.other);
      expect(result.error).toBeUndefined();
      expect(netA.writes.map((w) => [w.ifMatch, w.status])).toEqual([
        ['"1"', 412],
        ['"2"', 200],
      ]);
      expect(after).toMatchObject({ [m.title]: 'Mine', ...m.other, version: 3 });
      await waitFor(() => expect(m.row(a)).toMatchObject({ [m.title]: 'Mine', ...m.other, version: 3 }));
      expect(a.current().sync.conflicts).toEqual([]);
    });

    it('decides a field both changed by its rule: Todo title client, Project name server (the default)', async () => {
      const { a, netA, result, server: after } = await raceOnline('field-merge', m, mine, theirsSame);
      expect(result.error).toBeUndefined();
      const clientRule = m.title === 'title';
      expect(statuses(netA)).toEqual(clientRule ? [412, 200] : [412]);
      expect(after).toMatchObject({ [m.title]: clientRule ? 'Mine' : 'Theirs', version: clientRule ? 3 : 2 });
      await waitFor(() => expect(m.row(a)?.[m.title]).toBe(clientRule ? 'Mine' : 'Theirs'));
      expect(a.current().sync.conflicts).toEqual([]);
    });
  });

  describe('custom', () => {
    it("calls the app's resolver with base, local and server, and sends what it returns", async () => {
      const { netA, result, server: after } = await raceOnline('custom', m, mine, theirsSame);
      expect(result.error).toBeUndefined();
      expect(statuses(netA)).toEqual([412, 200]);
      expect(after).toMatchObject({ [m.title]: 'Mine / Theirs', version: 3 });
    });
  });

  describe.each(STRATEGIES)('%s, with A offline across a reload', (strategy) => {
    it("replays A's write with the version it was based on, and the strategy decides", async () => {
      const ids = await seed();
      const [netA, netB] = [deviceNetwork(), deviceNetwork()];
      const dbFile = path.join(dir, `${strategy}-${m.title}-${ids.todoId}.db`);
      const first = start(strategy, 'a', ids, netA, dbFile);
      await waitFor(() => expect(m.row(first)?.['version']).toBe(1));
      netA.offline = true;
      act(() => void m.update(first, ids, mine).catch(() => undefined));
      await waitFor(() => expect(first.current().sync.pendingWrites).toBe(1));
      await waitFor(() => expect(m.row(first)?.[m.title]).toBe('Mine'));
      first.quit();
      started.splice(started.indexOf(first), 1);

      const b = start(strategy, 'b', ids, netB);
      await waitFor(() => expect(m.row(b)?.['version']).toBe(1));
      await act(() => m.update(b, ids, theirsSame));

      netA.offline = false;
      const again = start(strategy, 'a', ids, netA, dbFile);
      const expected = {
        'backend-wins': 'Theirs',
        'client-wins': 'Mine',
        'field-merge': m.title === 'title' ? 'Mine' : 'Theirs',
        custom: 'Mine / Theirs',
      }[strategy];
      await waitFor(() => expect(netA.writes.length).toBeGreaterThan(0));
      await waitFor(async () => expect((await m.read(ids))[m.title]).toBe(expected));
      await waitFor(() => expect(m.row(again)?.[m.title]).toBe(expected));
      expect(netA.writes[0].ifMatch).toBe(strategy === 'client-wins' ? null : '"1"');
      const conflicts = (): readonly RefusedWrite[] => again.current().sync.conflicts;
      if (strategy !== 'backend-wins') {
        await waitFor(() => expect(again.current().sync.pendingWrites).toBe(0));
        expect(conflicts()).toEqual([]);
        return;
      }
      // the write made before the reload is listed, with the rows to show, until discarded
      await waitFor(() => expect(conflicts()).toHaveLength(1));
      expect(conflicts()[0].refusal.conflict).toMatchObject({
        reason: 'stale',
        base: { version: 1 },
        local: { [m.title]: 'Mine' },
        server: { [m.title]: 'Theirs', version: 2 },
      });
      await act(() => conflicts()[0].discard());
      await waitFor(() => expect(conflicts()).toEqual([]));
      expect((await m.read(ids))[m.title]).toBe('Theirs');
    });
  });
});

describe('transactions (useSyncTransaction) on versioned models', () => {
  it('send If-Match: a write based on a stale row fails the transaction as a conflict, the writes before it undone', async () => {
    const ids = await seed();
    const [netA, netB] = [deviceNetwork(), deviceNetwork()];
    const a = start('backend-wins', 'a', ids, netA);
    const b = start('backend-wins', 'b', ids, netB);
    await waitFor(() => expect([a.current().todo.data?.version, a.current().project.data?.version]).toEqual([1, 1]));
    await waitFor(() => expect(b.current().todo.data?.version).toBe(1));
    netA.hold();
    let running: Promise<unknown> = Promise.resolve();
    act(() => {
      running = a
        .current()
        .transaction.run([
          a.libs.project.projectWrites.update(ids.projectId, { name: 'Together' }),
          a.libs.todo.todoWrites.update(ids.todoId, { title: 'Together' }),
        ])
        .catch((error: unknown) => error);
    });
    await waitFor(() => expect(netA.waiting).toBe(1));
    await act(() => b.current().todos.update(ids.todoId, { status: 'done' }));
    netA.release();
    const error = (await act(() => running)) as TransactionError;
    expect(error).toBeInstanceOf(TransactionError);
    expect(error).toMatchObject({
      kind: 'conflict',
      status: 412,
      conflict: { reason: 'stale', server: { version: 2 } },
    });
    expect(error.report).toMatchObject({ undone: [`update Project ${ids.projectId}`] });
    expect(netA.writes.map((w) => [w.method, w.ifMatch, w.status])).toEqual([
      ['PATCH', '"1"', 200],
      ['PATCH', '"1"', 412],
      ['PATCH', null, 200], // the undo puts back what the transaction's own write changed
    ]);
    expect(await api('GET', `/projects/${ids.projectId}`)).toMatchObject({ name: 'Start' });
    expect(await api('GET', `/todos/${ids.todoId}`)).toMatchObject({ title: 'Start', status: 'done', version: 2 });
  });

  it('send a later write of a row already written in the same transaction without If-Match', async () => {
    const ids = await seed();
    const a = start('backend-wins', 'a', ids, deviceNetwork());
    await waitFor(() => expect(a.current().todo.data?.version).toBe(1));
    await act(() =>
      a
        .current()
        .transaction.run([
          a.libs.todo.todoWrites.update(ids.todoId, { title: 'First' }),
          a.libs.todo.todoWrites.update(ids.todoId, { status: 'done' }),
        ]),
    );
    expect(await api('GET', `/todos/${ids.todoId}`)).toMatchObject({ title: 'First', status: 'done', version: 3 });
  });
});

describe('Project (push) with version: etag, field-merge', () => {
  const project = MODELS[1];
  const etagOf = (w: { ifMatch: string | null }) => w.ifMatch;

  it('sends the ETag its item read answered, and after a 412 reads the row again for its row and ETag', async () => {
    // the variant's Project has no version property: only the ETag header can say what a write was based on
    const { a, netA, result, server: after } = await raceOnline(ETAG_VARIANT, project, { name: 'Mine' }, project.other);
    expect(result.error).toBeUndefined();
    expect(netA.writes.map((w) => [etagOf(w), w.status])).toEqual([
      ['"1"', 412],
      ['"2"', 200],
    ]);
    expect(after).toMatchObject({ name: 'Mine', ...project.other, version: 3 });
    await waitFor(() => expect(project.row(a)).toMatchObject({ name: 'Mine', ...project.other }));
    expect(a.current().sync.conflicts).toEqual([]);
  });

  it('sends with each write the ETag of the row as last answered (its item read, or its own write)', async () => {
    const ids = await seed();
    const net = deviceNetwork();
    const a = start(ETAG_VARIANT, 'a', ids, net);
    await waitFor(() => expect(project.row(a)?.['name']).toBe('Start'));
    await act(() => project.update(a, ids, { name: 'One' }));
    await act(() => project.update(a, ids, { name: 'Two' }));
    expect(net.writes.map((w) => [etagOf(w), w.status])).toEqual([
      ['"1"', 200],
      ['"2"', 200],
    ]);
    expect(await project.read(ids)).toMatchObject({ name: 'Two', version: 3 });
  });
});
