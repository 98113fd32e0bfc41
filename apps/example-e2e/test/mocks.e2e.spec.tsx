/**
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
// MSW's `msw/node` entry is hidden from jsdom's default "browser" export condition; these tests run
// in Node, so they ask for Node's conditions.
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { configureExampleApi } from '@sync-patterns/example-api-core';
import { useProjectMutations, useProjects } from '@sync-patterns/example-api-project';
import { fakeProjects, mockProjects } from '@sync-patterns/example-api-project/testing';
import { useTodos } from '@sync-patterns/example-api-todo';
import { fakeTodo, mockTodos } from '@sync-patterns/example-api-todo/testing';
import { useTodoCounts } from '@sync-patterns/example-api-todo-count';
import { fakeTodoCounts, mockTodoCounts } from '@sync-patterns/example-api-todo-count/testing';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, render, screen, waitFor } from '@testing-library/react';
import { setupServer } from 'msw/node';
import type { ReactNode } from 'react';

// What a user's component test looks like: the generated hooks, rendered, against the generated
// MSW handlers over fake rows — no API, no Postgres, no Electric.
const projects = mockProjects({ rows: fakeProjects(3) });
const todos = mockTodos();
const counts = mockTodoCounts({ rows: fakeTodoCounts(2) });
const server = setupServer(...projects.handlers, ...todos.handlers, ...counts.handlers);
configureExampleApi({ baseUrl: 'http://api.test' });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
const clients: QueryClient[] = [];
afterEach(() => clients.splice(0).forEach((client) => closeLiveCollections(client)));

function renderWithClient(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  clients.push(client);
  return render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
}

function ProjectNames() {
  const { data, status } = useProjects();
  const { create } = useProjectMutations();
  return (
    <div>
      <p>{status}</p>
      <ul>
        {data?.map((p) => (
          <li key={p.id}>{p.name}</li>
        ))}
      </ul>
      <button
        onClick={() => void create({ name: 'Launch', description: null, owner_id: data![0].owner_id, archived: false })}
      >
        add
      </button>
    </div>
  );
}

function TodoTitles({ projectId }: { projectId: string }) {
  const { data, status } = useTodos({ project_id: projectId });
  return (
    <div>
      <p>{status}</p>
      <ul>
        {data?.map((t) => (
          <li key={t.id}>{t.title}</li>
        ))}
      </ul>
    </div>
  );
}

function Counts() {
  const { data } = useTodoCounts();
  return (
    <ul>
      {data?.map((c) => (
        <li key={c.project_id}>{`${c.project_name}: ${c.total}`}</li>
      ))}
    </ul>
  );
}

describe('generated testing entries: hooks rendered against their MSW handlers', () => {
  it('push: lists the fake rows, and a create through the hook lands in the mocked table', async () => {
    renderWithClient(<ProjectNames />);
    for (const project of projects.rows()) expect(await screen.findByText(project.name)).toBeTruthy();
    await act(async () => screen.getByText('add').click());
    expect(await screen.findByText('Launch')).toBeTruthy();
    await waitFor(() => expect(projects.rows().map((p) => p.name)).toContain('Launch'));
  });

  it('live: syncs rows from the mocked shape stream, and shows a change another client writes', async () => {
    const projectId = projects.rows()[0].id;
    todos.reset([
      fakeTodo({ title: 'Water the plants', project_id: projectId }, 1),
      fakeTodo({ title: 'Elsewhere' }, 2),
    ]);
    renderWithClient(<TodoTitles projectId={projectId} />);
    expect(await screen.findByText('Water the plants')).toBeTruthy();
    expect(screen.queryByText('Elsewhere')).toBeNull();
    // another client writes through the API: the handler streams the change to this one
    const other = fakeTodo({ title: 'Fix the fence', project_id: projectId }, 3);
    await fetch('http://api.test/todos', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(other),
    });
    expect(await screen.findByText('Fix the fence')).toBeTruthy();
  });

  it('cache: reads the fake results', async () => {
    renderWithClient(<Counts />);
    for (const count of counts.rows())
      expect(await screen.findByText(`${count.project_name}: ${count.total}`)).toBeTruthy();
  });
});
