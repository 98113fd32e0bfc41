import { betterSqlite3Driver } from '@sync-patterns/runtime/sqlite';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReactNode } from 'react';
import { freePort, startTestServer, type TestServer } from '../../example-api/src/testing';
import { configureExampleApi } from '../.variants/on-demand/core/src';
import { createProject, type Project } from '../.variants/on-demand/project/src';
import { todoCollection, useTodos, type Todo } from '../.variants/on-demand/todo/src';
import { createUser } from '../.variants/on-demand/user/src';
import { seedProject } from './seed';

/**
 * A live model synced on demand (`x-sync.sync: on-demand`): opening one project loads that
 * project's todos — the list hook's parameters become the subset the server sends — not the
 * table; the loaded rows stay live, and with a local database they are kept on the device.
 */
let server: TestServer;
let dir: string;
const projects: Project[] = [];
const TODOS_PER_PROJECT = 6;

/** Every shape request the client makes, with what it asked and how many bytes came back. */
const shapeRequests: { url: URL; body: string; bytes: number }[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  const response = await fetch(input, init);
  if (!url.pathname.endsWith('/v1/shape')) return response;
  const bytes = (await response.clone().arrayBuffer()).byteLength;
  shapeRequests.push({ url, body: typeof init?.body === 'string' ? init.body : '', bytes });
  return response;
};
const subsetRequests = () =>
  shapeRequests.filter((r) => r.body.includes('where') || r.url.searchParams.has('subset__where'));

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sp-on-demand-'));
  server = await startTestServer({ port: await freePort(), dataDir: path.join(dir, 'pg') });
  configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: recordingFetch });
  for (const name of ['Alpha', 'Beta', 'Gamma']) {
    const project = await seedProject({ createUser, createProject }, name, `${name.toLowerCase()}@example.com`);
    projects.push(project);
    for (let i = 0; i < TODOS_PER_PROJECT; i++)
      await fetch(`${server.url}/todos`, {
        method: 'POST',
        headers: { ...server.staff.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ project_id: project.id, title: `${name} ${i}`, status: 'todo', priority: 1 }),
      });
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startApp(localDatabase?: Database.Database) {
  configureExampleApi({ localDatabase: localDatabase && betterSqlite3Driver(localDatabase) });
  const client = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  const rendered = renderHook((props: { project: string }) => useTodos({ project_id: props.project }), {
    wrapper,
    initialProps: { project: projects[0].id },
  });
  return {
    rendered,
    collection: todoCollection(client),
    quit() {
      rendered.unmount();
      closeLiveCollections(client);
    },
  };
}
const titles = (rows: Todo[] | undefined) => (rows ?? []).map((t) => t.title).sort();
const titlesOf = (name: string) => Array.from({ length: TODOS_PER_PROJECT }, (_, i) => `${name} ${i}`).sort();

describe('a live model synced on demand', () => {
  it("loads one project's todos when it is opened, the next when that one is, and keeps them live", async () => {
    shapeRequests.length = 0;
    const app = startApp();
    try {
      await waitFor(() => expect(titles(app.rendered.result.current.data)).toEqual(titlesOf('Alpha')));
      // the collection holds Alpha's rows, not the table's
      expect([...app.collection.values()].map((t) => t.project_id)).toEqual(
        Array(TODOS_PER_PROJECT).fill(projects[0].id),
      );
      expect(subsetRequests().length).toBeGreaterThan(0);
      // it moved about Alpha's rows, far less than the whole table
      const whole = await fetch(`${server.url}/v1/shape?table=todos&offset=-1`, { headers: server.staff.headers });
      const wholeBytes = (await whole.arrayBuffer()).byteLength;
      const moved = shapeRequests.reduce((sum, r) => sum + r.bytes, 0);
      expect(moved).toBeLessThan(wholeBytes * 0.6);

      app.rendered.rerender({ project: projects[1].id });
      await waitFor(() => expect(titles(app.rendered.result.current.data)).toEqual(titlesOf('Beta')));
      expect(app.collection.size).toBe(2 * TODOS_PER_PROJECT);

      // a change made elsewhere to a loaded row arrives
      const [alpha0] = [...app.collection.values()].filter((t) => t.title === 'Alpha 0');
      await fetch(`${server.url}/todos/${alpha0.id}`, {
        method: 'PATCH',
        headers: { ...server.staff.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Alpha 0, renamed' }),
      });
      await waitFor(() => expect(app.collection.get(alpha0.id)?.title).toBe('Alpha 0, renamed'));
      app.rendered.rerender({ project: projects[0].id });
      await waitFor(() => expect(titles(app.rendered.result.current.data)).toContain('Alpha 0, renamed'));
    } finally {
      app.quit();
    }
  });

  it("pages by the list's paging parameters, in key order: the server is asked for the page", async () => {
    shapeRequests.length = 0;
    configureExampleApi({ localDatabase: undefined });
    const client = new QueryClient();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    );
    const page = renderHook(
      (props: { offset: number }) => useTodos({ project_id: projects[2].id, limit: 2, offset: props.offset }),
      {
        wrapper,
        initialProps: { offset: 0 },
      },
    );
    try {
      // key order: the ids' order, as the server's subset sends them
      const inKeyOrder = (rows: Todo[]) => rows.map((t) => t.id);
      await waitFor(() => expect(page.result.current.data).toHaveLength(2));
      const first = page.result.current.data!;
      expect(inKeyOrder(first)).toEqual([...inKeyOrder(first)].sort());
      expect(subsetRequests().some((r) => r.body.includes('"limit"') || r.url.searchParams.has('subset__limit'))).toBe(
        true,
      );
      page.rerender({ offset: 2 });
      await waitFor(() => expect(page.result.current.data).toHaveLength(2));
      await waitFor(() => expect(page.result.current.data!.map((t) => t.id)).not.toEqual(first.map((t) => t.id)));
      const second = page.result.current.data!;
      expect(second[0].id > first[1].id).toBe(true);
      // each page went to the server as its order and limit (TanStack DB asks for offset + limit)
      const limits = subsetRequests().map(
        (r) => r.url.searchParams.get('subset__limit') ?? /"limit":(\d+)/.exec(r.body)?.[1],
      );
      expect(limits).toEqual(expect.arrayContaining(['2', '4']));
    } finally {
      page.unmount();
      closeLiveCollections(client);
    }
  });

  it('keeps what was loaded in the local database: the next start shows it with the server down', async () => {
    const file = path.join(dir, 'device.db');
    const first = startApp(new Database(file));
    try {
      await waitFor(() => expect(titles(first.rendered.result.current.data)).toHaveLength(TODOS_PER_PROJECT));
    } finally {
      first.quit();
    }
    const stored = new Database(file);
    const rows = stored.prepare('SELECT project_id FROM todos').all() as { project_id: string }[];
    // what was loaded (Alpha's), not the table
    expect(rows.map((r) => r.project_id)).toEqual(Array(TODOS_PER_PROJECT).fill(projects[0].id));

    const data = server.data;
    const port = Number(new URL(server.url).port);
    await server.close({ keepData: true });
    const offline = startApp(stored);
    try {
      await waitFor(() => expect(titles(offline.rendered.result.current.data)).toHaveLength(TODOS_PER_PROJECT));
      expect(offline.rendered.result.current.data!.every((t) => t.project_id === projects[0].id)).toBe(true);
    } finally {
      offline.quit();
      stored.close();
      server = await startTestServer({ port, data });
    }
  }, 120_000);
});
