import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { SyncError, useSyncStatus } from '@sync-patterns/runtime';
import { randomUUID } from 'node:crypto';
import type { ReactNode } from 'react';
import { startTestServer, type TestServer } from '../../example-api/src/testing';
import { configureExampleApi } from '../.variants/push/core/src';
import { createProject, type Project } from '../.variants/push/project/src';
import { getTodo, useTodo, useTodoMutations, useTodos, type Todo } from '../.variants/push/todo/src';
import { createUser } from '../.variants/push/user/src';
import { gatedFetch } from './gated-fetch';
import { seedProject } from './seed';

let server: TestServer;
let project: Project;
const gate = gatedFetch();

beforeAll(async () => {
  server = await startTestServer();
  configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: gate.fetch });
  project = await seedProject({ createUser, createProject }, 'End to end', 'e2e@example.com');
});
afterAll(() => server?.close());
afterEach(() => gate.open());

function renderWithClient<T>(hook: () => T) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false } },
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return renderHook(hook, { wrapper });
}

/** The list of one project and the mutations, as one component would use them. */
const useProjectTodos = () => ({
  list: useTodos({ project_id: project.id }),
  mutations: useTodoMutations(),
  app: useSyncStatus(),
});
const titles = (rows: Todo[] | undefined) => (rows ?? []).map((t) => t.title);
const serverHas = async (id: string) =>
  (await fetch(`${server.url}/todos/${id}`, { headers: server.staff.headers })).status === 200;

describe('generated push hooks against the example API on Postgres', () => {
  it('lists and reads rows, without the fields x-sync excludes', async () => {
    const { result } = renderWithClient(useProjectTodos);
    await waitFor(() => expect(result.current.list.status).toBe('live'));
    expect(result.current.list.data).toEqual([]);

    const created = await act(() =>
      result.current.mutations.create({
        project_id: project.id,
        title: 'Read me',
        status: 'todo',
        priority: 2,
        due_at: null,
      }),
    );
    await waitFor(() => expect(titles(result.current.list.data)).toEqual(['Read me']));
    expect(result.current.list.data![0]).not.toHaveProperty('internal_notes');

    const one = renderWithClient(() => useTodo(created.id));
    await waitFor(() => expect(one.result.current.data?.title).toBe('Read me'));
    expect(one.result.current.data).toEqual(result.current.list.data![0]);
    expect(one.result.current.error).toBeNull();
  });

  it('shows a create at once, before the server has it, then the saved row', async () => {
    const { result } = renderWithClient(useProjectTodos);
    await waitFor(() => expect(result.current.list.status).toBe('live'));
    const before = result.current.list.data!.length;

    gate.close();
    let saved: Promise<Todo> | undefined;
    act(() => {
      saved = result.current.mutations.create({
        project_id: project.id,
        title: 'Optimistic',
        status: 'doing',
        priority: 3,
        due_at: '2027-03-01T12:00:00Z',
      });
    });
    await waitFor(() => expect(titles(result.current.list.data)).toContain('Optimistic'));
    await waitFor(() => expect(gate.waiting).toBe(1));
    const draft = result.current.list.data!.find((t) => t.title === 'Optimistic')!;
    expect(result.current.mutations.isPending).toBe(true);
    expect(result.current.app.pendingWrites).toBe(1);
    expect(draft.created_at).toBeUndefined(); // not saved yet: the server sets it
    expect(await serverHas(draft.id)).toBe(false);

    gate.open();
    const row = await act(() => saved!);
    expect(row.id).toBe(draft.id); // the client-generated key is the saved row's key
    await waitFor(() => expect(result.current.list.data!.find((t) => t.id === row.id)?.created_at).toBeDefined());
    expect(result.current.list.data).toHaveLength(before + 1);
    expect(await serverHas(row.id)).toBe(true);
    expect(result.current.mutations.isPending).toBe(false);
  });

  it('shows updates and deletes at once and keeps them once the server confirms', async () => {
    const { result } = renderWithClient(useProjectTodos);
    await waitFor(() => expect(result.current.list.status).toBe('live'));
    const row = await act(() =>
      result.current.mutations.create({
        project_id: project.id,
        title: 'Change me',
        status: 'todo',
        priority: 1,
        due_at: null,
      }),
    );

    gate.close();
    let updated: Promise<Todo> | undefined;
    act(() => {
      updated = result.current.mutations.update(row.id, {
        title: 'Changed',
        status: 'done',
      });
    });
    await waitFor(() =>
      expect(result.current.list.data!.find((t) => t.id === row.id)).toMatchObject({
        title: 'Changed',
        status: 'done',
      }),
    );
    expect((await getTodo(row.id)).title).toBe('Change me');
    gate.open();
    await act(() => updated!);
    expect((await getTodo(row.id)).status).toBe('done');

    gate.close();
    let removed: Promise<unknown> | undefined;
    act(() => {
      removed = result.current.mutations.remove(row.id);
    });
    await waitFor(() => expect(result.current.list.data!.some((t) => t.id === row.id)).toBe(false));
    expect(await serverHas(row.id)).toBe(true);
    gate.open();
    await act(() => removed!);
    expect(await serverHas(row.id)).toBe(false);
  });

  it('rolls back a write the server refuses and reports it as a typed SyncError', async () => {
    const { result } = renderWithClient(useProjectTodos);
    await waitFor(() => expect(result.current.list.status).toBe('live'));
    const row = await act(() =>
      result.current.mutations.create({
        project_id: project.id,
        title: 'Keep me',
        status: 'todo',
        priority: 4,
        due_at: null,
      }),
    );
    await waitFor(() => expect(result.current.list.data!.some((t) => t.id === row.id)).toBe(true));

    // Another client deletes the row behind this one's back: the server refuses the update (404).
    await fetch(`${server.url}/todos/${row.id}`, { method: 'DELETE', headers: server.staff.headers });
    gate.close();
    let failed: Promise<unknown> | undefined;
    act(() => {
      failed = result.current.mutations.update(row.id, { title: 'Too late' }).catch((error: unknown) => error);
    });
    await waitFor(() => expect(result.current.list.data!.find((t) => t.id === row.id)?.title).toBe('Too late'));
    gate.open();
    const error = await act(() => failed!);
    expect(error).toBeInstanceOf(SyncError);
    // an update of a row deleted meanwhile is a conflict (listed until discarded), not a bare 404
    expect(error).toMatchObject({
      kind: 'conflict',
      status: 404,
      body: { error: 'not_found' },
      conflict: { reason: 'gone', local: { title: 'Too late' }, server: null },
    });
    await waitFor(() =>
      expect(result.current.mutations.error).toMatchObject({
        kind: 'conflict',
        status: 404,
      }),
    );
    // Rolled back, then refreshed from the server (backend wins): the deleted row is gone.
    await waitFor(() => expect(result.current.list.data!.some((t) => t.id === row.id)).toBe(false));
    expect(titles(result.current.list.data)).not.toContain('Too late');
  });

  it('rolls back a conflicting create (409) and refuses invalid input before sending it', async () => {
    const { result } = renderWithClient(useProjectTodos);
    await waitFor(() => expect(result.current.list.status).toBe('live'));
    const existing = await act(() =>
      result.current.mutations.create({
        project_id: project.id,
        title: 'Original',
        status: 'todo',
        priority: 1,
        due_at: null,
      }),
    );
    await waitFor(() => expect(result.current.list.data!.filter((t) => t.id === existing.id)).toHaveLength(1));

    const conflict = await act(() =>
      result.current.mutations
        .create({
          id: existing.id,
          project_id: project.id,
          title: 'Duplicate',
          status: 'todo',
          priority: 1,
          due_at: null,
        })
        .catch((e: unknown) => e),
    );
    expect(conflict).toMatchObject({ kind: 'conflict', status: 409 });
    await waitFor(() => expect(titles(result.current.list.data)).not.toContain('Duplicate'));
    expect(result.current.list.data!.filter((t) => t.id === existing.id)).toHaveLength(1);

    const requestsBefore = gate.waiting;
    const invalid = await act(() =>
      result.current.mutations
        .create({
          project_id: project.id,
          title: '',
          status: 'todo',
          priority: 9,
          due_at: null,
        })
        .catch((e: unknown) => e),
    );
    expect(invalid).toBeInstanceOf(SyncError);
    expect((invalid as SyncError).kind).toBe('validation');
    expect((invalid as SyncError).issues.map((i) => i.path).sort()).toEqual(['priority', 'title']);
    expect(gate.waiting).toBe(requestsBefore);
    // The app-wide indicator reports the newest failure: the refused input.
    await waitFor(() =>
      expect(result.current.app).toMatchObject({
        status: 'error',
        pendingWrites: 0,
        error: { kind: 'validation' },
      }),
    );
  });

  it('fetches an unknown id as a 404 SyncError through useTodo', async () => {
    const unknown = randomUUID();
    const { result } = renderWithClient(() => useTodo(unknown));
    await waitFor(() => expect(result.current.error).not.toBeNull());
    expect(result.current.error).toBeInstanceOf(SyncError);
    expect(result.current.error).toMatchObject({ kind: 'http', status: 404 });
    expect(result.current.status).toBe('error');
  });
});
