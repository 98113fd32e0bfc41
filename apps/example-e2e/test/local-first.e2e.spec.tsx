import { betterSqlite3Driver } from '@sync-patterns/runtime/sqlite';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReactNode } from 'react';
import { freePort, startTestServer, type TestServer } from '../../example-api/src/testing';
import { configureExampleApi } from '../.variants/live/core/src';
import { createProject, type Project } from '../.variants/live/project/src';
import { useTodoMutations, useTodos, type Todo } from '../.variants/live/todo/src';
import { createUser } from '../.variants/live/user/src';
import { seedProject } from './seed';

/**
 * Local-first with the generated live hooks: synced rows are kept in a SQLite file on the "device";
 * the next start shows them before (and without) the network, and resumes the stream from where it
 * stood instead of downloading the shape again.
 */
let server: TestServer;
let project: Project;
let dir: string;
let port: number;
const shapeRequests: URL[] = [];
const recordingFetch: typeof fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.pathname.endsWith('/v1/shape')) shapeRequests.push(url);
  return fetch(input, init);
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sp-local-first-'));
  port = await freePort();
  server = await startTestServer({ port, dataDir: path.join(dir, 'pg') });
  configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: recordingFetch });
  project = await seedProject({ createUser, createProject }, 'Local', 'local@example.com');
  for (const title of ['One', 'Two']) {
    await fetch(`${server.url}/todos`, {
      method: 'POST',
      headers: { ...server.staff.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        project_id: project.id,
        title,
        status: 'todo',
        priority: 1,
        due_at: null,
      }),
    });
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One start of the app on the device's database file. */
function startApp() {
  const database = new Database(path.join(dir, 'device.db'));
  configureExampleApi({ localDatabase: betterSqlite3Driver(database) });
  const client = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const rendered = renderHook(() => ({ ...useTodos({ project_id: project.id }), mutations: useTodoMutations() }), {
    wrapper,
  });
  return {
    result: rendered.result,
    database,
    quit() {
      rendered.unmount();
      closeLiveCollections(client);
      database.close();
    },
  };
}
const titles = (rows: Todo[] | undefined) => (rows ?? []).map((t) => t.title).sort();

describe('generated live hooks with a local SQLite database', () => {
  it('keeps synced rows on the device, shows them with the server down, and resumes the stream from the stored offset', async () => {
    const first = startApp();
    await waitFor(() => expect(titles(first.result.current.data)).toEqual(['One', 'Two']));
    await waitFor(() => expect(first.database.prepare('SELECT count(*) AS n FROM todos').get()).toEqual({ n: 2 }));
    first.quit();

    const data = server.data;
    await server.close({ keepData: true });
    const offline = startApp();
    await waitFor(() => expect(titles(offline.result.current.data)).toEqual(['One', 'Two']));
    await waitFor(() => expect(offline.result.current.status).toBe('offline'), { timeout: 30_000 });
    expect(titles(offline.result.current.data)).toEqual(['One', 'Two']);
    offline.quit();

    server = await startTestServer({ port, data });
    await fetch(`${server.url}/todos`, {
      method: 'POST',
      headers: { ...server.staff.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: crypto.randomUUID(),
        project_id: project.id,
        title: 'Three',
        status: 'todo',
        priority: 1,
        due_at: null,
      }),
    });
    const seen = shapeRequests.length;
    const back = startApp();
    await waitFor(() => expect(titles(back.result.current.data)).toEqual(['One', 'Three', 'Two']), { timeout: 30_000 });
    expect(back.result.current.status).toBe('live');
    // resumed: no request of this start asked for the whole shape again
    expect(shapeRequests.slice(seen).map((url) => url.searchParams.get('offset'))).not.toContain('-1');
    expect(shapeRequests[seen].searchParams.get('handle')).toBeTruthy();
    await waitFor(() => expect(back.database.prepare('SELECT count(*) AS n FROM todos').get()).toEqual({ n: 3 }));
    back.quit();
  }, 120_000);

  it('keeps a write made while the server is down, across a reload, and sends it once when the server is back', async () => {
    const online = startApp();
    await waitFor(() => expect(online.result.current.status).toBe('live'));
    const data = server.data;
    await server.close({ keepData: true });
    await waitFor(() => expect(online.result.current.status).toBe('offline'), { timeout: 30_000 });

    act(
      () =>
        void online.result.current.mutations
          .create({ project_id: project.id, title: 'Written offline', status: 'todo', priority: 2, due_at: null })
          .catch(() => undefined),
    );
    await waitFor(() => expect(titles(online.result.current.data)).toContain('Written offline')); // optimistic
    await waitFor(() =>
      expect(online.database.prepare('SELECT count(*) AS n FROM sync_patterns_outbox').get()).toEqual({ n: 1 }),
    );
    online.quit(); // the page is reloaded while offline

    const reloaded = startApp();
    await waitFor(() => expect(titles(reloaded.result.current.data)).toContain('Written offline')); // still shown, from the outbox
    server = await startTestServer({ port, data });
    await waitFor(
      () => expect(reloaded.database.prepare('SELECT count(*) AS n FROM sync_patterns_outbox').get()).toEqual({ n: 0 }),
      { timeout: 30_000 },
    );
    await waitFor(
      () => expect(reloaded.result.current.data?.find((t) => t.title === 'Written offline')?.created_at).toBeTruthy(),
      { timeout: 30_000 },
    );
    const onServer = (await (
      await fetch(`${server.url}/todos?project_id=${project.id}`, { headers: server.staff.headers })
    ).json()) as Todo[] | { data: Todo[] };
    const rows = Array.isArray(onServer) ? onServer : onServer.data;
    expect(rows.filter((t) => t.title === 'Written offline')).toHaveLength(1);
    reloaded.quit();
  }, 120_000);
});
