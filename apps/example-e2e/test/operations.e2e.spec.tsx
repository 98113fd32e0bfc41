import { SyncError, TransactionError, useSyncTransaction } from '@sync-patterns/runtime';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { signUp, startTestServer, type TestServer, type TestSession } from '../../example-api/src/testing';
import * as pushCore from '../.variants/push/core/src';
import * as pushProject from '../.variants/push/project/src';
import * as pushTodo from '../.variants/push/todo/src';
import * as pushUser from '../.variants/push/user/src';
import * as liveCore from '../.variants/live/core/src';
import * as liveProject from '../.variants/live/project/src';
import * as liveTodo from '../.variants/live/todo/src';
import * as liveUser from '../.variants/live/user/src';
import { gatedFetch } from './gated-fetch';
import { seedProject } from './seed';

/**
 * The spec's operations beyond the models' CRUD, called through their generated functions and
 * hooks against the example API: a query operation (a project's members) refreshed by a write on
 * its path, domain actions on todos (archive, move, complete a project's todos in bulk) with Todo
 * in push and in live mode, a refused action as a SyncError, and a core operation (the session).
 */
let server: TestServer;
let member: TestSession;
const clients: QueryClient[] = [];
const gate = gatedFetch();
/** When set, write answers lose their X-Sync-Txid header (an API that does not answer one). */
let dropTxid = false;
const apiFetch: typeof fetch = async (input, init) => {
  const response = await gate.fetch(input, init);
  if (!dropTxid || !response.headers.has('x-sync-txid')) return response;
  const headers = new Headers(response.headers);
  headers.delete('x-sync-txid');
  return new Response(await response.arrayBuffer(), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
};

beforeAll(async () => {
  server = await startTestServer();
  member = await signUp(server.url, 'Operations member');
  for (const core of [pushCore, liveCore])
    core.configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: apiFetch });
}, 120_000);
afterAll(() => server?.close());
afterEach(() => {
  gate.open();
  dropTxid = false;
  for (const client of clients.splice(0)) closeLiveCollections(client);
});

function renderApp<T>(hook: () => T) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  clients.push(client);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return { ...renderHook(hook, { wrapper }), client };
}

/**
 * TanStack Query tells components of new data on its next tick: one tick, and no request could
 * have been answered in it, so what shows then was there when the call resolved.
 */
const rendered = () => act(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

const VARIANTS = [
  { mode: 'push', core: pushCore, project: pushProject, todo: pushTodo, user: pushUser },
  { mode: 'live', core: liveCore, project: liveProject, todo: liveTodo, user: liveUser },
] as const;

describe.each(VARIANTS)(
  'operations with Todo in $mode mode',
  ({ mode, project: projects, todo: todos, user: users }) => {
    /** A project of its own (and its owner) for one test: `name` names both. */
    const newProject = (name: string) =>
      seedProject(
        { createUser: users.createUser, createProject: projects.createProject },
        `${name} ${mode}`,
        `${name.toLowerCase().replace(/\W+/g, '-')}-${mode}@example.com`,
      );
    const newTodo = (project_id: string, title: string) =>
      todos.createTodo({ project_id, title, status: 'todo', priority: 3, due_at: null });

    it('a query operation reads, and a write on its path refreshes it', async () => {
      const project = await newProject('Members');
      const { result, client } = renderApp(() => ({
        members: projects.useListProjectMembers({ path: { id: project.id } }),
        add: projects.useAddProjectMember(),
      }));
      await waitFor(() => expect(result.current.members.status).toBe('live'));
      expect(result.current.members.data).toEqual([]);

      const added = await act(() =>
        result.current.add.mutate({ path: { id: project.id }, body: { user_id: member.userId } }),
      );
      expect(added).toMatchObject({ project_id: project.id, user_id: member.userId });
      // the mutation resolves after the queries it touched (path /projects/{id}/members) refetched
      const key = projects.listProjectMembersQueryOptions({ path: { id: project.id } }).queryKey;
      expect(client.getQueryData(key)).toEqual([expect.objectContaining({ user_id: member.userId })]);
      await rendered();
      expect(result.current.members.data).toEqual([expect.objectContaining({ user_id: member.userId })]);
      expect(result.current.add.error).toBeNull();
    });

    it('archives, moves and completes todos through their actions; the list shows each when the call resolves', async () => {
      const owner = `actions-${mode}@example.com`;
      const project = await seedProject(
        { createUser: users.createUser, createProject: projects.createProject },
        `Actions ${mode}`,
        owner,
      );
      const other = await projects.createProject({
        name: `Other ${mode}`,
        owner_id: project.owner_id,
        description: null,
        archived: false,
      });
      const [a, b, c] = [
        await newTodo(project.id, 'a'),
        await newTodo(project.id, 'b'),
        await newTodo(project.id, 'c'),
      ];
      const { result } = renderApp(() => ({
        list: todos.useTodos({ project_id: project.id }),
        moved: todos.useTodos({ project_id: other.id }),
        archive: todos.useArchiveTodo(),
        move: todos.useMoveTodo(),
        complete: todos.useCompleteProjectTodos(),
      }));
      await waitFor(() => expect(result.current.list.data?.length).toBe(3));

      const archived = await act(() => result.current.archive.mutate({ path: { id: a.id } }));
      expect(archived).toMatchObject({ id: a.id, archived: true });
      expect(archived).not.toHaveProperty('internal_notes');
      await rendered();
      expect(result.current.list.data!.find((t) => t.id === a.id)).toMatchObject({ archived: true });

      await act(() => result.current.move.mutate({ path: { id: b.id }, body: { project_id: other.id } }));
      await rendered();
      expect(result.current.list.data!.map((t) => t.id).sort()).toEqual([a.id, c.id].sort());
      expect(result.current.moved.data!.map((t) => t.id)).toEqual([b.id]);

      // one request, one transaction: every open, unarchived todo of the project is done
      const completed = await act(() => result.current.complete.mutate({ path: { id: project.id } }));
      expect(completed.map((t) => t.id)).toEqual([c.id]);
      await rendered();
      expect(result.current.list.data!.find((t) => t.id === c.id)).toMatchObject({ status: 'done' });
      expect(result.current.list.data!.find((t) => t.id === a.id)).toMatchObject({ status: 'todo' });
    });

    it('a declared optimistic action shows before the server answers, and a refused one rolls back', async () => {
      const project = await newProject('Optimistic');
      const todo = await newTodo(project.id, 'archive me');
      const kept = await newTodo(project.id, 'move me nowhere');
      const { result } = renderApp(() => ({
        list: todos.useTodos({ project_id: project.id }),
        archive: todos.useArchiveTodo(),
        move: todos.useMoveTodo(),
      }));
      await waitFor(() => expect(result.current.list.data?.length).toBe(2));
      const row = (id: string) => result.current.list.data!.find((t) => t.id === id);

      // x-sync-optimistic: { set: { archived: true } } — shown while the request waits at the gate
      gate.close();
      let archiving: Promise<unknown> | undefined;
      act(() => void (archiving = result.current.archive.mutate({ path: { id: todo.id } })));
      await waitFor(() => expect(row(todo.id)).toMatchObject({ archived: true }));
      await waitFor(() => expect(gate.waiting).toBe(1));
      expect(result.current.archive.isPending).toBe(true);
      gate.open();
      await act(() => archiving!);
      await rendered();
      expect(row(todo.id)).toMatchObject({ archived: true }); // the server's row now (in live mode: its txid arrived)
      expect((await todos.getTodo(todo.id)).archived).toBe(true);

      // { set: { project_id: $request.body#/project_id } } — the row leaves this project's list at once…
      gate.close();
      let moving: Promise<unknown> | undefined;
      act(
        () =>
          void (moving = result.current.move
            .mutate({ path: { id: kept.id }, body: { project_id: '00000000-0000-4000-8000-000000000000' } })
            .catch((error: unknown) => error)),
      );
      await waitFor(() => expect(row(kept.id)).toBeUndefined());
      gate.open();
      // …and comes back when the API refuses the move (422: no such project)
      expect(await act(() => moving!)).toMatchObject({ status: 422 });
      await rendered();
      expect(row(kept.id)).toMatchObject({ project_id: project.id, title: 'move me nowhere' });
    });

    it('an action whose answer has no txid still resolves with the change in view', async () => {
      const project = await newProject('No txid');
      const todo = await newTodo(project.id, 'archive without a txid');
      const { result } = renderApp(() => ({
        list: todos.useTodos({ project_id: project.id }),
        archive: todos.useArchiveTodo(),
      }));
      await waitFor(() => expect(result.current.list.data?.length).toBe(1));
      dropTxid = true;
      await act(() => result.current.archive.mutate({ path: { id: todo.id } }));
      await rendered();
      // live: the stream was up to date again after the answer; push: the list was refetched
      expect(result.current.list.data![0]).toMatchObject({ id: todo.id, archived: true });
    });

    it('a bulk action changes every row it matches at once; an optimistic change the app gives rolls back on a 422', async () => {
      const project = await newProject('Bulk');
      const rows = [
        await newTodo(project.id, 'one'),
        await newTodo(project.id, 'two'),
        await newTodo(project.id, 'three'),
      ];
      await todos.archiveTodo({ path: { id: rows[2].id } });
      const { result } = renderApp(() => ({
        list: todos.useTodos({ project_id: project.id }),
        complete: todos.useCompleteProjectTodos(),
        // the app's own optimistic change, in place of the spec's
        mark: todos.useMoveTodo({
          optimistic: (input) => ({ keys: [input.path.id], set: () => ({ title: 'moving…' }) }),
        }),
      }));
      await waitFor(() => expect(result.current.list.data?.length).toBe(3));
      const statuses = () => Object.fromEntries(result.current.list.data!.map((t) => [t.title, t.status] as const));

      // rows: { where: { project_id: $request.path.id, archived: false } }, set: { status: done }
      gate.close();
      let completing: Promise<unknown> | undefined;
      act(() => void (completing = result.current.complete.mutate({ path: { id: project.id } })));
      await waitFor(() => expect(statuses()).toEqual({ one: 'done', two: 'done', three: 'todo' }));
      gate.open();
      await act(() => completing!);
      await rendered();
      expect(statuses()).toEqual({ one: 'done', two: 'done', three: 'todo' });

      // the app's own change (here: a marker in the title) shows, and the 422 takes it back
      gate.close();
      let moving: Promise<unknown> | undefined;
      act(
        () =>
          void (moving = result.current.mark
            .mutate({ path: { id: rows[1].id }, body: { project_id: '00000000-0000-4000-8000-000000000000' } })
            .catch((error: unknown) => error)),
      );
      await waitFor(() => expect(result.current.list.data!.find((t) => t.id === rows[1].id)?.title).toBe('moving…'));
      gate.open();
      expect(await act(() => moving!)).toMatchObject({ status: 422 });
      await rendered();
      expect(result.current.list.data!.find((t) => t.id === rows[1].id)?.title).toBe('two');
    });

    it('a transaction over two models shows both writes at once and resolves once both are in view', async () => {
      const project = await newProject('Transaction');
      const { result } = renderApp(() => ({
        project: projects.useProject(project.id),
        list: todos.useTodos({ project_id: project.id }),
        transaction: useSyncTransaction(),
      }));
      await waitFor(() =>
        expect([result.current.project.status, result.current.list.status]).toEqual(['live', 'live']),
      );

      gate.close();
      let running: Promise<unknown> | undefined;
      act(
        () =>
          void (running = result.current.transaction.run([
            projects.projectWrites.update(project.id, { name: 'Renamed together' }),
            todos.todoWrites.create({
              project_id: project.id,
              title: 'first of it',
              status: 'todo',
              priority: 1,
              due_at: null,
            }),
          ])),
      );
      // both show before either request reached the API
      await waitFor(() => expect(result.current.project.data?.name).toBe('Renamed together'));
      await waitFor(() => expect(result.current.list.data?.map((t) => t.title)).toEqual(['first of it']));
      await waitFor(() => expect(gate.waiting).toBe(1)); // one by one, in order
      expect(result.current.transaction.isPending).toBe(true);
      gate.open();
      const [renamed, created] = (await act(() => running!)) as [{ name: string }, { id: string; created_at: string }];
      expect(renamed.name).toBe('Renamed together');
      await rendered();
      expect(result.current.list.data).toEqual([
        expect.objectContaining({ id: created.id, created_at: expect.any(String) }),
      ]);
      expect((await projects.getProject(project.id)).name).toBe('Renamed together');
    });

    it('a transaction whose second write fails rolls both back: the first is undone on the server', async () => {
      const project = await newProject('Doomed');
      const existing = await newTodo(project.id, 'already there');
      const { result } = renderApp(() => ({
        project: projects.useProject(project.id),
        list: todos.useTodos({ project_id: project.id }),
        transaction: useSyncTransaction(),
      }));
      await waitFor(() => expect(result.current.list.data?.length).toBe(1));
      await waitFor(() => expect(result.current.project.data?.name).toBe(`Doomed ${mode}`));

      gate.close();
      let running: Promise<unknown> | undefined;
      act(
        () =>
          void (running = result.current.transaction
            .run([
              projects.projectWrites.update(project.id, { name: 'Never renamed' }),
              // to a project that does not exist: the API answers 422
              todos.moveTodoWrite({
                path: { id: existing.id },
                body: { project_id: '00000000-0000-4000-8000-000000000000' },
              }),
            ])
            .catch((error: unknown) => error)),
      );
      // both show at once: the project renamed, the todo gone from this project's list
      await waitFor(() => expect(result.current.project.data?.name).toBe('Never renamed'));
      await waitFor(() => expect(result.current.list.data).toEqual([]));
      gate.open();
      const error = (await act(() => running!)) as TransactionError;
      expect(error).toBeInstanceOf(TransactionError);
      expect(error.status).toBe(422);
      expect(error.report).toEqual({
        failed: 'POST /todos/{id}/move',
        undone: [`update Project ${project.id}`],
        kept: [],
        notSent: [],
      });
      await rendered();
      expect(result.current.project.data?.name).toBe(`Doomed ${mode}`);
      expect(result.current.list.data?.map((t) => t.title)).toEqual(['already there']);
      expect((await projects.getProject(project.id)).name).toBe(`Doomed ${mode}`);
      await waitFor(() => expect(result.current.transaction.error).toBe(error));
    });

    it('a refused action rejects with a SyncError carrying the status, and the hook keeps it', async () => {
      const project = await newProject('Refused');
      const todo = await newTodo(project.id, 'stays');
      const { result } = renderApp(() => todos.useMoveTodo());
      let error: unknown;
      await act(() =>
        result.current
          .mutate({ path: { id: todo.id }, body: { project_id: '00000000-0000-4000-8000-000000000000' } })
          .catch((e: unknown) => void (error = e)),
      );
      expect(error).toBeInstanceOf(SyncError);
      expect(error).toMatchObject({ status: 422 });
      await waitFor(() => expect(result.current.error?.status).toBe(422));
      expect((await todos.getTodo(todo.id)).project_id).toBe(project.id);
    });
  },
);

it('a core operation (no model owns it) reads the signed-in session', async () => {
  const { result } = renderApp(() => pushCore.useGetCurrentSession());
  await waitFor(() => expect(result.current.status).toBe('live'));
  expect(result.current.data).toMatchObject({ user: { email: 'staff@example.test' } });
});
