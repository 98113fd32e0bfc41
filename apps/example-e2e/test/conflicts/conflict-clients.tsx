import { useSyncStatus, useSyncTransaction } from '@sync-patterns/runtime';
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { betterSqlite3Driver } from '@sync-patterns/runtime/sqlite';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook } from '@testing-library/react';
import Database from 'better-sqlite3';
import type { ReactNode } from 'react';
import type { TestServer } from '../../../example-api/src/testing';
import { conflictVariant, type ETAG_VARIANT, type Strategy } from '../mode-variants';

// every copy of a conflict variant has this API (custom's copies add resolveTodoConflicts and resolveProjectConflicts)
type Core = typeof import('../../.variants/conflict-custom-a/core/src');
type TodoLib = typeof import('../../.variants/conflict-custom-a/todo/src');
type ProjectLib = typeof import('../../.variants/conflict-custom-a/project/src');
export type Todo = import('../../.variants/conflict-custom-a/todo/src').Todo;
export type Project = import('../../.variants/conflict-custom-a/project/src').Project;

/** The libraries of one client: its own copy of the generated code, so its own configuration. */
export function librariesOf(strategy: Strategy | typeof ETAG_VARIANT, client: string) {
  const dir = conflictVariant(strategy, client);
  /* eslint-disable @typescript-eslint/no-require-imports -- a copy chosen at run time */
  return {
    core: require(`${dir}/core/src`) as Core,
    todo: require(`${dir}/todo/src`) as TodoLib,
    project: require(`${dir}/project/src`) as ProjectLib,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** A write as the client's network saw it: what it sent and what the API answered. */
export interface SeenWrite {
  method: string;
  path: string;
  ifMatch: string | null;
  status: number;
}

/**
 * A device's network: offline on demand (every request fails as a network error, shapes too, and
 * a read in flight then loses its answer), a
 * gate that holds writes before they reach the API, and a record of the writes and their answers.
 */
export function deviceNetwork() {
  let gate: Promise<void> | undefined;
  let open = () => undefined as void;
  const net = {
    offline: false,
    waiting: 0,
    writes: [] as SeenWrite[],
    fetch: (async (input, init) => {
      if (net.offline) throw new TypeError('fetch failed');
      const request = new Request(input, init);
      if (request.method === 'GET') {
        // a read in flight when the device went offline (the stream's long poll) never answers it
        const response = await fetch(request);
        if (net.offline) throw new TypeError('fetch failed');
        return response;
      }
      if (gate) {
        net.waiting++;
        await gate;
        net.waiting--;
      }
      if (net.offline) throw new TypeError('fetch failed');
      const response = await fetch(request);
      net.writes.push({
        method: request.method,
        path: new URL(request.url).pathname,
        ifMatch: request.headers.get('if-match'),
        status: response.status,
      });
      return response;
    }) as typeof fetch,
    hold() {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    release() {
      gate = undefined;
      open();
    },
  };
  return net;
}

export type DeviceNetwork = ReturnType<typeof deviceNetwork>;

/**
 * One start of a client app: its QueryClient, and the generated hooks of one todo and one project
 * rendered with real React, beside `useSyncStatus()`. With `dbFile`, the app keeps its outbox and
 * synced rows in that SQLite file (a reload is another start on it).
 */
export function startClient(
  strategy: Strategy | typeof ETAG_VARIANT,
  client: string,
  options: { server: TestServer; network: DeviceNetwork; dbFile?: string; todoId: string; projectId: string },
) {
  const libs = librariesOf(strategy, client);
  const database = options.dbFile ? new Database(options.dbFile) : undefined;
  libs.core.configureExampleApi({
    baseUrl: options.server.url,
    headers: options.server.staff.headers,
    fetch: options.network.fetch,
    localDatabase: database ? betterSqlite3Driver(database) : undefined,
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
  );
  const rendered = renderHook(
    () => ({
      todo: libs.todo.useTodo(options.todoId),
      todos: libs.todo.useTodoMutations(),
      project: libs.project.useProject(options.projectId),
      projects: libs.project.useProjectMutations(),
      sync: useSyncStatus(),
      transaction: useSyncTransaction(),
    }),
    { wrapper },
  );
  return {
    libs,
    queryClient,
    current: () => rendered.result.current,
    quit() {
      rendered.unmount();
      closeLiveCollections(queryClient);
      queryClient.clear();
      database?.close();
    },
  };
}

export type Client = ReturnType<typeof startClient>;
