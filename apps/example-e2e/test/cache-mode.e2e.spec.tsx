import { configureExampleApi } from '@sync-patterns/example-api-core';
import { createProject, useProjectMutations, type Project } from '@sync-patterns/example-api-project';
import { useTodoMutations } from '@sync-patterns/example-api-todo';
import { useTodoCounts, type TodoCount } from '@sync-patterns/example-api-todo-count';
import { createUser } from '@sync-patterns/example-api-user';
import type { CacheStorage } from '@sync-patterns/runtime';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { startTestServer, type TestServer } from '../../example-api/src/testing';
import { seedProject } from './seed';

/**
 * Cache mode with the generated hooks against the example API's metrics endpoint (todo counts per
 * project, computed in SQL, with an ETag): TTL, conditional revalidation without re-render,
 * persistence across a reload, invalidation by a push-mode and a live-mode write.
 */
let server: TestServer;
let project: Project;
const requests: { url: string; ifNoneMatch: string | null; status: number }[] = [];
const metrics = () => requests.filter((r) => r.url.includes('/metrics/todo-counts'));
const storage = new Map<string, string>();
const cacheStorage: CacheStorage = {
  getItem: (key) => storage.get(key) ?? null,
  setItem: (key, value) => void storage.set(key, value),
};
const clients: QueryClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    requests.push({
      url: String(input),
      ifNoneMatch: new Headers(init?.headers).get('if-none-match'),
      status: response.status,
    });
    return response;
  };
  configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: recording, cacheStorage });
  project = await seedProject({ createUser, createProject }, 'Metrics', 'cache@example.com');
}, 120_000);
afterAll(() => server?.close());
afterEach(() => {
  jest.restoreAllMocks();
  for (const client of clients.splice(0)) closeLiveCollections(client);
});

function renderApp<T>(hook: () => T, client = new QueryClient()) {
  clients.push(client);
  let renders = 0;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const rendered = renderHook(
    () => {
      renders++;
      return hook();
    },
    { wrapper },
  );
  return { ...rendered, client, renders: () => renders };
}
const countOf = (rows: TodoCount[] | undefined) => rows?.find((r) => r.project_id === project.id);

describe('cache-mode hooks (TodoCount: ttl 30 s, invalidated by Todo and Project)', () => {
  it('give the unified result plus isStale, updatedAt and refresh; stay fresh for the ttl, then revalidate with a 304 that re-renders nothing', async () => {
    const app = renderApp(() => useTodoCounts());
    await waitFor(() => expect(app.result.current.status).toBe('live'));
    expect(countOf(app.result.current.data)).toEqual({
      project_id: project.id,
      project_name: 'Metrics',
      total: 0,
      todo: 0,
      doing: 0,
      done: 0,
    });
    expect(app.result.current).toMatchObject({
      isLoading: false,
      error: null,
      isStale: false,
      updatedAt: expect.any(Number),
    });
    expect(metrics()).toHaveLength(1);

    // within the ttl, another component using the results asks nothing of the server
    renderApp(() => useTodoCounts(), app.client);
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(metrics()).toHaveLength(1);

    // after the ttl, a new use revalidates with the ETag; the unchanged result is a 304
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 31_000);
    const rendersBefore = app.renders();
    const data = app.result.current.data;
    renderApp(() => useTodoCounts(), app.client);
    await waitFor(() => expect(metrics()).toHaveLength(2));
    expect(metrics()[1]).toMatchObject({ status: 304, ifNoneMatch: expect.stringMatching(/^".+"$/) });
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(app.renders()).toBe(rendersBefore);
    expect(app.result.current.data).toBe(data);
  });

  it('survive a reload: a new app on the same storage shows them at once without asking the server', async () => {
    const seen = metrics().length;
    const reloaded = renderApp(() => useTodoCounts());
    await waitFor(() => expect(countOf(reloaded.result.current.data)?.total).toBe(0));
    expect(metrics()).toHaveLength(seen);
    expect([...storage.keys()].some((key) => key.includes('todo-count'))).toBe(true);
  });

  it('go stale on a push-mode write to Project and on a live-mode write to Todo, and refetch', async () => {
    const app = renderApp(() => ({
      counts: useTodoCounts(),
      projects: useProjectMutations(),
      todos: useTodoMutations(),
    }));
    await waitFor(() => expect(countOf(app.result.current.counts.data)).toBeDefined());
    await act(() => app.result.current.projects.update(project.id, { name: 'Metrics, renamed' }));
    await waitFor(() => expect(countOf(app.result.current.counts.data)?.project_name).toBe('Metrics, renamed'));
    await act(() =>
      app.result.current.todos.create({
        project_id: project.id,
        title: 'Counted',
        status: 'doing',
        priority: 1,
        due_at: null,
      }),
    );
    await waitFor(() => expect(countOf(app.result.current.counts.data)).toMatchObject({ total: 1, doing: 1 }));
  });
});
