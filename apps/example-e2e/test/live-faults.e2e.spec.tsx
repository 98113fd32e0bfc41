import { useSyncStatus } from '@sync-patterns/runtime';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { signUp, startTestServer, type TestServer } from '../../example-api/src/testing';
import { configureExampleApi } from '../.variants/live/core/src';
import { createProject, useProjectMutations, type Project } from '../.variants/live/project/src';
import { useTodoMutations, useTodos, type Todo } from '../.variants/live/todo/src';
import { createUser } from '../.variants/live/user/src';
import { faultyNetwork } from './faulty-network';
import { seedProject } from './seed';

/**
 * Live mode under faults (issue 8): the generated hooks against the example API and its shape
 * stream on Postgres, through a network that fails on purpose. Each test checks the same three
 * things: nothing lost, nothing duplicated, each row's writes applied in the order they were made
 * — on the screen and in Postgres.
 */
let server: TestServer;
let project: Project;
const network = faultyNetwork();
const clients: QueryClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ shapeResetRoute: true });
  configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: network.fetch });
  project = await seedProject({ createUser, createProject }, 'Faults', 'faults@example.com');
}, 120_000);
afterAll(() => server?.close());
afterEach(() => {
  Object.assign(network.faults, { down: false, serverErrors: 0, lostAnswers: 0, duplicateShapeResponses: 0 });
  network.writes.length = 0;
  network.delivered.twice = 0;
  configureExampleApi({
    baseUrl: server.url,
    headers: server.staff.headers,
    shapeUrl: undefined,
    shapeHeaders: undefined,
  });
  for (const client of clients.splice(0)) closeLiveCollections(client);
});

function renderApp() {
  const client = new QueryClient();
  clients.push(client);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return renderHook(
    () => ({ list: useTodos({ project_id: project.id }), mutations: useTodoMutations(), app: useSyncStatus() }),
    { wrapper },
  ).result;
}

/** The project's todos as Postgres has them, through the API as staff (not through the network under test). */
async function onServer(): Promise<Todo[]> {
  const body = (await (
    await fetch(`${server.url}/todos?project_id=${project.id}`, { headers: server.staff.headers })
  ).json()) as Todo[] | { data: Todo[] };
  return Array.isArray(body) ? body : body.data;
}
/** The synced fields of each row, by id: without TanStack DB's `$` metadata and the field x-sync excludes. */
const fields = (rows: Todo[] | undefined) =>
  (rows ?? [])
    .map((row) =>
      Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith('$') && name !== 'internal_notes')),
    )
    .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
const newTodo = (title: string) => ({
  project_id: project.id,
  title,
  status: 'todo' as const,
  priority: 1,
  due_at: null,
});

async function clearProject() {
  for (const todo of await onServer())
    await fetch(`${server.url}/todos/${todo.id}`, { method: 'DELETE', headers: server.staff.headers });
}

describe('live mode under faults', () => {
  beforeEach(async () => {
    await clearProject();
    network.writes.length = 0;
  });

  it('a 500 before the API saw the write: retried per x-sync.retry, saved once', async () => {
    const app = renderApp();
    await waitFor(() => expect(app.current.list.status).toBe('live'));
    network.faults.serverErrors = 1;
    const saved = await act(() => app.current.mutations.create(newTodo('Retried')));
    expect(network.writes.map((w) => w.outcome)).toEqual(['answered 500', 'sent']);
    expect(new Set(network.writes.map((w) => w.idempotencyKey)).size).toBe(1);
    expect((await onServer()).map((t) => t.id)).toEqual([saved.id]);
    expect(fields(app.current.list.data)).toEqual(fields(await onServer()));
  });

  it('an answer lost after the API did the write: the retry is answered from the first try, nothing doubled', async () => {
    const app = renderApp();
    await waitFor(() => expect(app.current.list.status).toBe('live'));
    network.faults.lostAnswers = 1;
    const saved = await act(() => app.current.mutations.create(newTodo('Answer lost')));
    expect(app.current.mutations.error).toBeNull();
    expect(network.writes.map((w) => [w.outcome, w.replayed])).toEqual([
      ['answer lost', false],
      ['sent', true],
    ]);
    expect(network.writes[0].idempotencyKey).toBe(network.writes[1].idempotencyKey);

    network.faults.lostAnswers = 1;
    await act(() => app.current.mutations.update(saved.id, { priority: 5 }));
    network.faults.lostAnswers = 1;
    await act(() => app.current.mutations.remove(saved.id));
    expect(network.writes.map((w) => `${w.method} ${w.outcome}${w.replayed ? ' (replayed)' : ''}`)).toEqual([
      'POST answer lost',
      'POST sent (replayed)',
      'PATCH answer lost',
      'PATCH sent (replayed)',
      'DELETE answer lost',
      'DELETE sent (replayed)',
    ]);
    expect(app.current.mutations.error).toBeNull();
    expect(await onServer()).toEqual([]);
    expect(app.current.list.data).toEqual([]);
  });

  it('writes made with the network down are shown at once, then sent in order, once each; the last one wins', async () => {
    const app = renderApp();
    await waitFor(() => expect(app.current.list.status).toBe('live'));
    const first = await act(() => app.current.mutations.create(newTodo('Order')));
    network.writes.length = 0;
    network.faults.down = true;
    await waitFor(() => expect(app.current.list.status).toBe('offline'), { timeout: 30_000 });

    const pending: Promise<unknown>[] = [];
    act(() => {
      pending.push(app.current.mutations.update(first.id, { title: 'Order 1', priority: 2 }));
      pending.push(app.current.mutations.update(first.id, { title: 'Order 2' }));
      pending.push(app.current.mutations.create({ ...newTodo('Made offline'), priority: 3 }));
      pending.push(app.current.mutations.update(first.id, { title: 'Order 3', status: 'done' }));
    });
    await waitFor(() =>
      expect(app.current.list.data?.find((t) => t.id === first.id)).toMatchObject({
        title: 'Order 3',
        priority: 2,
        status: 'done',
      }),
    );
    expect(app.current.app.pendingWrites).toBeGreaterThan(0);

    network.faults.down = false;
    await act(() => Promise.all(pending));
    const sent = network.writes.filter((w) => w.outcome === 'sent').map((w) => w.method);
    expect(sent).toEqual(['PATCH', 'PATCH', 'POST', 'PATCH']); // in the order they were made, once each
    const rows = await onServer();
    expect(rows.map((t) => t.title).sort()).toEqual(['Made offline', 'Order 3']);
    expect(rows.find((t) => t.id === first.id)).toMatchObject({ title: 'Order 3', priority: 2, status: 'done' });
    await waitFor(() => expect(fields(app.current.list.data)).toEqual(fields(rows)));
    expect(app.current.app.pendingWrites).toBe(0);
  }, 60_000);

  it('409 must-refetch (the log was reset): the hooks sync the shape afresh, keep every row once and stream on', async () => {
    const a = renderApp();
    const b = renderApp();
    await waitFor(() => expect([a.current.list.status, b.current.list.status]).toEqual(['live', 'live']));
    await act(() => a.current.mutations.create(newTodo('Before reset')));
    await waitFor(() => expect(b.current.list.data?.map((t) => t.title)).toEqual(['Before reset']));

    expect(
      (await fetch(`${server.url}/v1/shape/reset`, { method: 'POST', headers: server.staff.headers })).status,
    ).toBe(204);
    await act(() => b.current.mutations.create(newTodo('After reset')));
    for (const app of [a, b]) {
      await waitFor(
        () => expect(app.current.list.data?.map((t) => t.title).sort()).toEqual(['After reset', 'Before reset']),
        { timeout: 30_000 },
      );
      expect(app.current.list.status).toBe('live');
    }
    expect(fields(a.current.list.data)).toEqual(fields(await onServer()));
  }, 60_000);

  it('a shape response delivered twice is applied once: no doubled rows, no error, deletes and updates hold', async () => {
    const a = renderApp();
    const b = renderApp();
    await waitFor(() => expect([a.current.list.status, b.current.list.status]).toEqual(['live', 'live']));
    const kept = await act(() => b.current.mutations.create(newTodo('Kept')));
    const gone = await act(() => b.current.mutations.create(newTodo('Gone')));
    await waitFor(() => expect(a.current.list.data).toHaveLength(2));

    const changes: (() => Promise<unknown>)[] = [
      () => b.current.mutations.update(kept.id, { title: 'Kept, renamed' }),
      () => b.current.mutations.remove(gone.id),
      () => b.current.mutations.create(newTodo('Added')),
    ];
    for (const change of changes) {
      network.faults.duplicateShapeResponses = 2; // whichever client reads next gets it twice
      await act(async () => void (await change()));
    }
    await waitFor(() => expect(network.delivered.twice).toBeGreaterThanOrEqual(3));
    const rows = await onServer();
    for (const app of [a, b]) {
      await waitFor(() => expect(fields(app.current.list.data)).toEqual(fields(rows)));
      expect(app.current.list.status).toBe('live');
      expect(app.current.list.error).toBeNull();
    }
    expect(rows.map((t) => t.title).sort()).toEqual(['Added', 'Kept, renamed']);
  }, 60_000);
});

describe('credentials of a live model', () => {
  it("go to the shape URL only as configured: the API's on its own origin, none elsewhere, shapeHeaders when given", async () => {
    const shapeAuth = (from: number) => [
      ...new Set(network.headers.shapes.slice(from).map((h) => h.get('authorization'))),
    ];
    const apiAuth = (from: number) => [...new Set(network.headers.api.slice(from).map((h) => h.get('authorization')))];
    // two signed-in users, so each token tells where it was sent: staff for the API, and a member
    // of the project for the shapes when shapeHeaders name one
    const api = server.staff.headers;
    const member = await signUp(server.url, 'Shapes');
    const added = await fetch(`${server.url}/projects/${project.id}/members`, {
      method: 'POST',
      headers: { ...api, 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: member.userId }),
    });
    expect(added.status).toBe(201);
    // the same server under another name: 127.0.0.1 is the API's origin, localhost another one
    const elsewhere = server.url.replace('127.0.0.1', 'localhost') + '/v1/shape';
    const cases = [
      { options: {}, shapes: [api.authorization] },
      // no credentials elsewhere: the shape requests go out without a token, and the API refuses them
      { options: { shapeUrl: elsewhere }, shapes: [null], refused: true },
      { options: { shapeUrl: elsewhere, shapeHeaders: member.headers }, shapes: [member.headers.authorization] },
    ];
    for (const { options, shapes, refused } of cases) {
      const from = { shapes: network.headers.shapes.length, api: network.headers.api.length };
      configureExampleApi({
        baseUrl: server.url,
        headers: api,
        shapeUrl: undefined,
        shapeHeaders: undefined,
        ...options,
      });
      const app = renderApp();
      if (refused) {
        await waitFor(() => expect(app.current.list.status).toBe('error'));
        // the shape route's answer reaches the app as what it is: an HTTP 401 with its body
        expect(app.current.list.error).toMatchObject({
          kind: 'http',
          status: 401,
          body: { message: expect.stringContaining('Sign in first') },
        });
      } else {
        await waitFor(() => expect(app.current.list.status).toBe('live'));
        await act(() => app.current.mutations.create(newTodo(`Auth ${JSON.stringify(options)}`)));
        expect(apiAuth(from.api)).toEqual([api.authorization]);
      }
      expect([options, shapeAuth(from.shapes)]).toEqual([options, shapes]);
      for (const client of clients.splice(0)) closeLiveCollections(client);
    }
  });
});

describe('push mode under faults', () => {
  it('an answer lost after the API did the write: the retry is answered from the first try, one row, no error', async () => {
    const client = new QueryClient();
    clients.push(client);
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    const app = renderHook(() => useProjectMutations(), { wrapper }).result;
    network.writes.length = 0;
    network.faults.lostAnswers = 1;
    const name = `Pushed once ${Date.now()}`;
    const created = await act(() =>
      app.current.create({ name, owner_id: project.owner_id, description: null, archived: false }),
    );
    expect(app.current.error).toBeNull();
    expect(network.writes.map((w) => [w.method, w.outcome, w.replayed])).toEqual([
      ['POST', 'answer lost', false],
      ['POST', 'sent', true],
    ]);
    expect(network.writes[0].idempotencyKey).toBe(network.writes[1].idempotencyKey);
    const projects = (await (
      await fetch(`${server.url}/projects?owner_id=${project.owner_id}&offset=0&limit=100`, {
        headers: server.staff.headers,
      })
    ).json()) as { data: Project[] };
    expect(projects.data.filter((p) => p.name === name).map((p) => p.id)).toEqual([created.id]);

    // a second create with the same input is a new write: a new key, a second row
    network.writes.length = 0;
    await act(() => app.current.create({ name, owner_id: project.owner_id, description: null, archived: false }));
    expect(network.writes.map((w) => w.replayed)).toEqual([false]);
  });
});
