import { configureExampleApi } from '@sync-patterns/example-api-core';
import { createProject, type Project } from '@sync-patterns/example-api-project';
import { createUser } from '@sync-patterns/example-api-user';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { startTestServer, type TestServer } from '../../../example-api/src/testing';
import { gatedFetch } from '../gated-fetch';
import { TodoBoard } from './todo-board';
import { seedProject } from '../seed';

/**
 * What a user of TodoBoard sees, whatever Todo's sync mode. The same tests run once per mode
 * (todo-board.<mode>.e2e.spec.tsx maps the library's alias to the variant); nothing here may
 * depend on the mode.
 */
export function describeTodoBoard(mode: 'push' | 'live') {
  describe(`TodoBoard, with Todo generated in ${mode} mode`, () => {
    let server: TestServer;
    let project: Project;
    let queryClient: QueryClient;
    const gate = gatedFetch();

    beforeAll(async () => {
      server = await startTestServer();
      configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: gate.fetch });
      project = await seedProject({ createUser, createProject }, 'Board', `board-${mode}@example.com`, 'member');
    }, 120_000);
    afterAll(() => server?.close());
    afterEach(() => {
      gate.open();
      cleanup();
      closeLiveCollections(queryClient);
    });

    function show(projectId: string) {
      queryClient = new QueryClient();
      render(
        <QueryClientProvider client={queryClient}>
          <TodoBoard projectId={projectId} />
        </QueryClientProvider>,
      );
    }

    async function add(title: string) {
      fireEvent.change(screen.getByLabelText('New todo'), {
        target: { value: title },
      });
      await act(async () => void fireEvent.click(screen.getByText('Add')));
    }

    it('lists, adds (showing the todo before the server answers), completes and deletes', async () => {
      show(project.id);
      await screen.findByText('No todos yet');
      await waitFor(() => expect(screen.getByRole('status').textContent).toBe('live · app live'));

      gate.close();
      await add('Write the spec');
      expect(await screen.findByText('Write the spec')).toBeTruthy(); // optimistic
      await waitFor(() => expect(gate.waiting).toBe(1));
      gate.open();
      await waitFor(() => expect(screen.getByRole('status').textContent).toBe('live · app live'));
      const row = () => screen.getByText('Write the spec').closest('li')!;
      expect(within(row()).getByText('todo')).toBeTruthy();

      await act(async () => void fireEvent.click(screen.getByText('Done: Write the spec')));
      await waitFor(() => expect(within(row()).getByText('done')).toBeTruthy());

      await add('Ship it');
      await screen.findByText('Ship it');
      await act(async () => void fireEvent.click(screen.getByText('Delete: Write the spec')));
      await waitFor(() => expect(screen.queryByText('Write the spec')).toBeNull());
      await act(async () => void fireEvent.click(screen.getByText('Delete: Ship it')));
      await screen.findByText('No todos yet');
      expect(screen.queryByRole('alert')).toBeNull();
    });

    it('rolls back a todo the server refuses and says why', async () => {
      show('00000000-0000-4000-8000-000000000000'); // no such project: the API refuses its todos
      await screen.findByText('No todos yet');
      await add('Refused');
      expect((await screen.findByRole('alert')).textContent).toMatch(/POST \/todos failed with 4\d\d/);
      expect(screen.queryByText('Refused')).toBeNull();
      expect(screen.getByText('No todos yet')).toBeTruthy();
    });
  });
}
