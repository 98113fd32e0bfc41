import { isChangeMessage, ShapeStream, type Row } from '@electric-sql/client';
import { useSyncStatus } from '@sync-patterns/runtime';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook, waitFor } from '@testing-library/react';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReactNode } from 'react';
import { startTestServer, type TestServer } from '../../example-api/src/testing';
import { configureExampleApi } from '../.live/core/src';
import { createProject, type Project } from '../.live/project/src';
import { useTodoMutations, useTodos, type Todo } from '../.live/todo/src';
import { createUser } from '../.live/user/src';
import { gatedFetch } from './gated-fetch';

/**
 * The generated live hooks (Todo in live mode) rendered with React against the example API and its
 * development shape server on Postgres. Client A is the React app; client B is a second,
 * independent Electric client watching the same shape.
 */
let server: TestServer;
let project: Project;
let dataDir: string;
let port: number;
const gate = gatedFetch();

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'sp-live-e2e-'));
  port = await freePort();
  server = await startTestServer({ port, dataDir });
  configureExampleApi({ baseUrl: server.url, fetch: gate.fetch });
  const owner = await createUser({ email: 'live@example.com', name: 'Live', role: 'admin' });
  project = await createProject({ name: 'Live', owner_id: owner.id, description: null, archived: false });
}, 120_000);
afterAll(async () => {
  gate.open();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});
afterEach(() => gate.open());

function render<T>(hook: () => T) {
  const client = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return renderHook(hook, { wrapper });
}

const useProjectTodos = () => ({ list: useTodos({ project_id: project.id }), mutations: useTodoMutations(), app: useSyncStatus() });
const titles = (rows: Todo[] | undefined) => (rows ?? []).map((t) => t.title).sort();

/** Client B: the shape as another Electric client sees it. */
function watcher() {
  const aborter = new AbortController();
  const rows = new Map<string, Row>();
  const txids = new Set<number>();
  const stream = new ShapeStream<Row>({ url: `${server.url}/v1/shape`, params: { table: 'todos', where: 'project_id = $1', params: [project.id] }, signal: aborter.signal });
  stream.subscribe((messages) => {
    for (const m of messages) {
      if (!isChangeMessage(m)) continue;
      for (const txid of m.headers.txids ?? []) txids.add(Number(txid));
      if (m.headers.operation === 'delete') rows.delete(m.key);
      else rows.set(m.key, { ...rows.get(m.key), ...m.value });
    }
  });
  return { titles: () => [...rows.values()].map((r) => String(r['title'])).sort(), txids, stop: () => aborter.abort() };
}

describe('generated live hooks against the development shape server', () => {
  it('syncs the snapshot, shows writes at once, holds them until their txid arrives, and client B sees each', async () => {
    const b = watcher();
    const { result } = render(useProjectTodos);
    await waitFor(() => expect(result.current.list.status).toBe('live'));
    expect(result.current.list.data).toEqual([]);

    gate.close();
    let saved: Promise<Todo> | undefined;
    act(() => {
      saved = result.current.mutations.create({ project_id: project.id, title: 'Live one', status: 'todo', priority: 2, due_at: null });
    });
    await waitFor(() => expect(titles(result.current.list.data)).toEqual(['Live one']));
    await waitFor(() => expect(gate.waiting).toBe(1));
    expect(result.current.mutations.isPending).toBe(true);
    expect(result.current.list.data![0].created_at).toBeUndefined(); // optimistic: the server sets it
    expect(b.titles()).toEqual([]);

    gate.open();
    const row = await act(() => saved!);
    await waitFor(() => expect(b.titles()).toEqual(['Live one']));
    await waitFor(() => expect(result.current.list.data![0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/));
    expect(result.current.list.data![0]).toMatchObject({ id: row.id, priority: 2, due_at: null });
    expect(result.current.list.data![0]).not.toHaveProperty('internal_notes');
    expect(result.current.mutations.isPending).toBe(false);

    await act(() => result.current.mutations.update(row.id, { title: 'Live renamed', priority: 4 }));
    await waitFor(() => expect(b.titles()).toEqual(['Live renamed']));
    expect(result.current.list.data![0]).toMatchObject({ title: 'Live renamed', priority: 4 });

    await act(() => result.current.mutations.remove(row.id));
    await waitFor(() => expect(b.titles()).toEqual([]));
    expect(result.current.list.data).toEqual([]);
    b.stop();
  });

  it('rolls back a write the API refuses and surfaces a typed SyncError', async () => {
    const { result } = render(useProjectTodos);
    await waitFor(() => expect(result.current.list.status).toBe('live'));
    const before = titles(result.current.list.data);
    let failure: unknown;
    await act(async () => {
      // a project that does not exist: the API refuses the todo
      await result.current.mutations.create({ project_id: '00000000-0000-4000-8000-000000000000', title: 'Refused', status: 'todo', priority: 1, due_at: null }).catch((e: unknown) => (failure = e));
    });
    expect(failure).toMatchObject({ name: 'SyncError', kind: expect.stringMatching(/http|conflict/) });
    expect(result.current.mutations.error).toBe(failure);
    expect(titles(result.current.list.data)).toEqual(before);

    let invalid: unknown;
    await act(async () => {
      await result.current.mutations.create({ project_id: project.id, title: '', status: 'todo', priority: 9, due_at: null }).catch((e: unknown) => (invalid = e));
    });
    expect(invalid).toMatchObject({ kind: 'validation' });
    expect(titles(result.current.list.data)).toEqual(before);
  });

  it('reports the stream offline while the server is down and live again after, without losing writes', async () => {
    const { result } = render(useProjectTodos);
    await waitFor(() => expect(result.current.app.status).toBe('live'));
    const data = server.data;
    await server.close({ keepData: true });
    await waitFor(() => expect(result.current.list.status).toBe('offline'), { timeout: 30_000 });
    expect(result.current.app.status).toBe('offline');
    server = await startTestServer({ port, data });
    await fetch(`${server.url}/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: crypto.randomUUID(), project_id: project.id, title: 'After restart', status: 'todo', priority: 1, due_at: null }),
    });
    await waitFor(() => expect(titles(result.current.list.data)).toContain('After restart'), { timeout: 60_000 });
    expect(result.current.list.status).toBe('live');
    expect(result.current.app.status).toBe('live');
  }, 120_000);
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
}
