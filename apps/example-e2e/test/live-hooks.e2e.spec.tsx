import { useSyncStatus } from '@sync-patterns/runtime';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReactNode } from 'react';
import { freePort, startTestServer, type TestServer } from '../../example-api/src/testing';
import { configureExampleApi } from '../.variants/live/core/src';
import { createProject, type Project } from '../.variants/live/project/src';
import { useTodoMutations, useTodos, type Todo } from '../.variants/live/todo/src';
import { createUser } from '../.variants/live/user/src';
import { gatedFetch } from './gated-fetch';
import { seedProject } from './seed';

/**
 * The generated live hooks (Todo in live mode) rendered with React against the example API and its
 * development shape server on Postgres. Clients A and B are two React apps, each with its own
 * QueryClient and so its own collection and shape stream, as two browser tabs would be.
 */
let server: TestServer;
let project: Project;
let dataDir: string;
let port: number;
const gate = gatedFetch();
const clients: QueryClient[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'sp-live-e2e-'));
  port = await freePort();
  server = await startTestServer({ port, dataDir });
  configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: gate.fetch });
  project = await seedProject({ createUser, createProject }, 'Live', 'live@example.com');
}, 120_000);
afterAll(async () => {
  gate.open();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => {
  gate.open();
  for (const client of clients.splice(0)) closeLiveCollections(client);
});

/** One React app: its own QueryClient, so its own live collection and stream. */
function renderApp<T>(hook: () => T) {
  const client = new QueryClient();
  clients.push(client);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return renderHook(hook, { wrapper });
}

const useProjectTodos = () => ({
  list: useTodos({ project_id: project.id }),
  mutations: useTodoMutations(),
  app: useSyncStatus(),
});
const titles = (rows: Todo[] | undefined) => (rows ?? []).map((t) => t.title).sort();
/** The model's fields of each row, without TanStack DB's `$`-prefixed row metadata ($origin differs per client). */
const fields = (rows: Todo[] | undefined) =>
  (rows ?? []).map((row) => Object.fromEntries(Object.entries(row).filter(([name]) => !name.startsWith('$'))));

describe('generated live hooks against the development shape server', () => {
  it('syncs the snapshot to two clients; A shows its writes at once and holds them until their txid arrives; B sees each', async () => {
    const { result: a } = renderApp(useProjectTodos);
    const { result: b } = renderApp(useProjectTodos);
    await waitFor(() => expect([a.current.list.status, b.current.list.status]).toEqual(['live', 'live']));
    expect(a.current.list.data).toEqual([]);
    expect(b.current.list.data).toEqual([]);

    gate.close();
    let saved: Promise<Todo> | undefined;
    act(() => {
      saved = a.current.mutations.create({
        project_id: project.id,
        title: 'Live one',
        status: 'todo',
        priority: 2,
        due_at: null,
      });
    });
    await waitFor(() => expect(titles(a.current.list.data)).toEqual(['Live one']));
    await waitFor(() => expect(gate.waiting).toBe(1));
    expect(a.current.mutations.isPending).toBe(true);
    expect(a.current.app.pendingWrites).toBe(1); // counted by the collection's write queue
    expect(a.current.list.data![0].created_at).toBeUndefined(); // optimistic: the server sets it
    expect(b.current.list.data).toEqual([]);

    gate.open();
    const row = await act(() => saved!);
    // A's write resolves only once its txid is in A's stream, so the row is the server's by then
    expect(a.current.list.data![0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(a.current.list.data![0]).toMatchObject({
      id: row.id,
      priority: 2,
      due_at: null,
    });
    expect(a.current.list.data![0]).not.toHaveProperty('internal_notes');
    expect(a.current.mutations.isPending).toBe(false);
    await waitFor(() => expect(fields(b.current.list.data)).toEqual(fields(a.current.list.data)));

    await act(() =>
      a.current.mutations.update(row.id, {
        title: 'Live renamed',
        priority: 4,
      }),
    );
    expect(a.current.list.data![0]).toMatchObject({
      title: 'Live renamed',
      priority: 4,
    });
    await waitFor(() => expect(fields(b.current.list.data)).toEqual(fields(a.current.list.data)));

    await act(() => a.current.mutations.remove(row.id));
    expect(a.current.list.data).toEqual([]);
    await waitFor(() => expect(b.current.list.data).toEqual([]));
  });

  it('rolls back a write the API refuses and surfaces a typed SyncError; the other client never sees it', async () => {
    const { result: a } = renderApp(useProjectTodos);
    const { result: b } = renderApp(useProjectTodos);
    await waitFor(() => expect([a.current.list.status, b.current.list.status]).toEqual(['live', 'live']));
    const before = titles(a.current.list.data);
    let failure: unknown;
    await act(async () => {
      // a project that does not exist: the API refuses the todo
      await a.current.mutations
        .create({
          project_id: '00000000-0000-4000-8000-000000000000',
          title: 'Refused',
          status: 'todo',
          priority: 1,
          due_at: null,
        })
        .catch((e: unknown) => (failure = e));
    });
    expect(failure).toMatchObject({
      name: 'SyncError',
      kind: expect.stringMatching(/http|conflict/),
    });
    expect(a.current.mutations.error).toBe(failure);
    expect(titles(a.current.list.data)).toEqual(before);
    // kept and listed until the app discards it (a write replayed after a restart has no caller to tell)
    await waitFor(() => expect(a.current.app.refusedWrites).toHaveLength(1));
    expect(a.current.app.refusedWrites[0]).toMatchObject({
      model: 'example-api/todo',
      op: 'insert',
      request: { method: 'POST', path: '/todos' },
      refusal: { kind: (failure as { kind: string }).kind },
    });
    expect(a.current.app.pendingWrites).toBe(0);
    expect(b.current.app.refusedWrites).toEqual([]);
    await act(() => a.current.app.refusedWrites[0].discard());
    expect(a.current.app.refusedWrites).toEqual([]);

    let invalid: unknown;
    await act(async () => {
      await a.current.mutations
        .create({
          project_id: project.id,
          title: '',
          status: 'todo',
          priority: 9,
          due_at: null,
        })
        .catch((e: unknown) => (invalid = e));
    });
    expect(invalid).toMatchObject({ kind: 'validation' });
    expect(titles(a.current.list.data)).toEqual(before);
    expect(titles(b.current.list.data)).toEqual(before);
  });

  it('reports the stream offline while the server is down and live again after, losing and duplicating nothing', async () => {
    const { result: a } = renderApp(useProjectTodos);
    const { result: b } = renderApp(useProjectTodos);
    await waitFor(() => expect(a.current.app.status).toBe('live'));
    await act(() =>
      a.current.mutations.create({
        project_id: project.id,
        title: 'Before restart',
        status: 'todo',
        priority: 1,
        due_at: null,
      }),
    );
    await waitFor(() => expect(titles(b.current.list.data)).toEqual(['Before restart']));

    const data = server.data;
    await server.close({ keepData: true });
    await waitFor(() => expect(a.current.list.status).toBe('offline'), {
      timeout: 30_000,
    });
    expect(a.current.app.status).toBe('offline');
    expect(titles(a.current.list.data)).toEqual(['Before restart']); // the app keeps what it has

    server = await startTestServer({ port, data });
    await waitFor(() => expect(a.current.list.status).toBe('live'), { timeout: 60_000 });
    await act(() =>
      a.current.mutations.create({
        project_id: project.id,
        title: 'After restart',
        status: 'todo',
        priority: 1,
        due_at: null,
      }),
    );
    for (const client of [a, b]) {
      await waitFor(() => expect(titles(client.current.list.data)).toEqual(['After restart', 'Before restart']), {
        timeout: 60_000,
      });
      expect(client.current.list.status).toBe('live');
    }
    expect(a.current.app.status).toBe('live');
    expect(fields(b.current.list.data)).toEqual(fields(a.current.list.data));
  }, 120_000);
});
