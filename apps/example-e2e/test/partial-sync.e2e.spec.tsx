import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { signUp, startTestServer, type TestServer, type TestSession } from '../../example-api/src/testing';
import { librariesOf } from './conflicts/conflict-clients';

/**
 * Partial sync with the generated live hooks: two users on two devices (each its own copy of the
 * generated libraries, so its own configuration and token), each shown only the todos of their
 * projects — the server pins the rows, the client asks for the table — and rows moving in and out
 * live as one adds the other to a project and removes them again.
 */
let server: TestServer;
let ada: TestSession;
let bob: TestSession;
const projects: Record<'ada' | 'bob', string> = { ada: '', bob: '' };

beforeAll(async () => {
  server = await startTestServer();
  [ada, bob] = await Promise.all([signUp(server.url, 'Ada'), signUp(server.url, 'Bob')]);
  for (const [who, session] of [
    ['ada', ada],
    ['bob', bob],
  ] as const) {
    const call = (method: string, url: string, body: unknown) =>
      fetch(`${server.url}${url}`, {
        method,
        headers: { ...session.headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<{ id: string }>);
    projects[who] = (await call('POST', '/projects', { name: `${who}'s`, owner_id: session.userId })).id;
    for (const n of [1, 2])
      await call('POST', '/todos', { project_id: projects[who], title: `${who} ${n}`, status: 'todo', priority: 1 });
  }
}, 120_000);
afterAll(() => server?.close());

/** A device signed in as `session`: its copy of the libraries, its list of todos. */
function device(copy: 'a' | 'b', session: TestSession) {
  const { core, todo } = librariesOf('field-merge', copy);
  core.configureExampleApi({ baseUrl: server.url, headers: session.headers });
  const client = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const rendered = renderHook(() => ({ list: todo.useTodos(), mutations: todo.useTodoMutations() }), { wrapper });
  return {
    titles: () => (rendered.result.current.list.data ?? []).map((t) => t.title).sort(),
    current: () => rendered.result.current,
    quit() {
      rendered.unmount();
      closeLiveCollections(client);
    },
  };
}

describe('partial sync with the generated live hooks', () => {
  it("shows each user their projects' todos only, and moves rows in and out live as memberships change", async () => {
    const adas = device('a', ada);
    const bobs = device('b', bob);
    try {
      await waitFor(() => expect(adas.titles()).toEqual(['ada 1', 'ada 2']));
      await waitFor(() => expect(bobs.titles()).toEqual(['bob 1', 'bob 2']));
      // a todo Ada writes reaches her list, and not Bob's
      await act(() =>
        adas
          .current()
          .mutations.create({ project_id: projects.ada, title: 'ada 3', status: 'todo', priority: 1, due_at: null }),
      );
      expect(adas.titles()).toEqual(['ada 1', 'ada 2', 'ada 3']);
      // Bob adds Ada to his project: its todos move into her list, live
      const members = (method: string, url: string, body?: unknown) =>
        fetch(`${server.url}/projects/${projects.bob}/members${url}`, {
          method,
          headers: body === undefined ? bob.headers : { ...bob.headers, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      expect((await members('POST', '', { user_id: ada.userId })).status).toBe(201);
      await waitFor(() => expect(adas.titles()).toEqual(['ada 1', 'ada 2', 'ada 3', 'bob 1', 'bob 2']));
      expect(bobs.titles()).toEqual(['bob 1', 'bob 2']);
      // and out again when he removes her
      expect((await members('DELETE', `/${ada.userId}`)).status).toBe(204);
      await waitFor(() => expect(adas.titles()).toEqual(['ada 1', 'ada 2', 'ada 3']));
      expect(adas.current().list.error).toBeNull();
      expect(bobs.titles()).toEqual(['bob 1', 'bob 2']);
    } finally {
      adas.quit();
      bobs.quit();
    }
  });
});
