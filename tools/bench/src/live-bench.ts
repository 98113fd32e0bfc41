/**
 * Live-mode runtime bench, run by main.ts in a process of its own (`node --expose-gc`): the example's
 * generated Todo library, a live collection of N rows synced from the runtime's fake shape, three
 * mounted components each on a live query, and then
 *   - change → re-render: from the moment a changed row's answer leaves the shape endpoint to the
 *     commit of the component showing it (p50 / p99 over many changes);
 *   - memory per synced row (heap after a full GC, client side only);
 *   - cold start: a second start on the device's SQLite file with the network down, until the
 *     three components show their rows; and until the collection holds all N rows (the rest
 *     enter in the background).
 * Prints one JSON line per row count on stdout.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { JSDOM } from 'jsdom';

const ROOT = path.resolve(__dirname, '../../..');
const LIB = path.join(ROOT, 'tmp/bench/live-lib');
const CHANGES = Number(process.env['LIVE_BENCH_CHANGES'] ?? 300);

// visible: Electric's client pauses its streams while the page is hidden (jsdom's default)
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
Object.assign(globalThis, { window: dom.window, document: dom.window.document });
if (!('navigator' in globalThis)) Object.assign(globalThis, { navigator: dom.window.navigator });

async function main() {
  const counts = (process.argv[2] ?? '10000,100000').split(',').map(Number);
  const generated = spawnSync(
    process.execPath,
    [
      'libs/sync-patterns/bin/sync-patterns.js',
      'generate',
      '--spec',
      'apps/example-api/openapi.yaml',
      '--out',
      LIB,
      '--quiet',
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (generated.status !== 0) throw new Error('could not generate the example libraries');
  for (const rows of counts) process.stdout.write(`${JSON.stringify(await benchRows(rows))}\n`);
  process.exit(0);
}

/** A full collection, so heap readings hold live objects only (the bench runs with --expose-gc). */
function collectGarbage() {
  if (!global.gc) throw new Error('run the live bench with node --expose-gc');
  global.gc();
}

async function benchRows(count: number) {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const React = require('react') as typeof import('react');
  const { createRoot } = require('react-dom/client') as typeof import('react-dom/client');
  const { QueryClient, QueryClientProvider } =
    require('@tanstack/react-query') as typeof import('@tanstack/react-query');
  const { createFakeShape, closeLiveCollections } =
    require('@sync-patterns/runtime/live') as typeof import('@sync-patterns/runtime/live');
  const { betterSqlite3Driver } =
    require('@sync-patterns/runtime/sqlite') as typeof import('@sync-patterns/runtime/sqlite');
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const core = require(path.join(LIB, 'core/src'));
  const todo = require(path.join(LIB, 'todo/src'));
  const testing = require(path.join(LIB, 'todo/src/testing'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  type Todo = { id: string; project_id: string; status: string; title: string };

  // N rows over 100 projects: the queries below watch one project, one project's done rows, one row
  const projects = Array.from({ length: 100 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
  const rows: Todo[] = testing
    .fakeTodos(count, 1)
    .map((row: Todo, i: number) => ({ ...row, project_id: projects[i % 100] }));
  const watched = rows.filter((r) => r.project_id === projects[0]);
  const one = watched[0];

  const shape = createFakeShape({ key: 'id' });
  for (const row of rows) shape.insert(row);
  let leftServer = 0;
  const offline: typeof fetch = () => new Promise(() => undefined);
  const instrumented =
    (next: typeof fetch): typeof fetch =>
    async (input, init) => {
      const response = await next(input, init);
      if (String(input instanceof Request ? input.url : input).includes('live=true')) leftServer = performance.now();
      return response;
    };

  const dir = mkdtempSync(path.join(tmpdir(), 'sp-bench-live-'));
  const commits: { at: number; view: string; rows: Todo[] | Todo | undefined }[] = [];
  const View = ({ name, use }: { name: string; use: () => { data: Todo[] | Todo | undefined } }) => {
    const { data } = use();
    React.useLayoutEffect(() => void commits.push({ at: performance.now(), view: name, rows: data }));
    return React.createElement('span', null, Array.isArray(data) ? data.length : data ? 1 : 0);
  };
  const start = (fetchImpl: typeof fetch) => {
    const database = new Database(path.join(dir, 'device.db'));
    core.configureExampleApi({
      baseUrl: 'http://bench.local',
      fetch: fetchImpl,
      localDatabase: betterSqlite3Driver(database),
    });
    const client = new QueryClient();
    const container = document.createElement('div');
    const root = createRoot(container);
    root.render(
      React.createElement(
        QueryClientProvider,
        { client },
        React.createElement(View, { name: 'project', use: () => todo.useTodos({ project_id: projects[0] }) }),
        React.createElement(View, {
          name: 'done',
          use: () => todo.useTodos({ project_id: projects[1], status: 'done' }),
        }),
        React.createElement(View, { name: 'one', use: () => todo.useTodo(one.id) }),
      ),
    );
    return {
      collection: () => todo.todoCollection(client) as { isReady(): boolean; size: number },
      stop() {
        root.unmount();
        closeLiveCollections(client);
        database.close();
      },
    };
  };
  const until = async (check: () => boolean, what: string, limitMs = 120_000) => {
    const deadline = performance.now() + limitMs;
    while (!check()) {
      if (performance.now() > deadline)
        throw new Error(
          `live bench: timed out waiting for ${what} (last commits: ${JSON.stringify(commits.slice(-3).map((c) => [c.view, Array.isArray(c.rows) ? c.rows.length : c.rows]))}; shape requests ${JSON.stringify(shape.requests.slice(-3))})`,
        );
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const shows = (view: string, test: (rows: Todo[] | Todo | undefined) => boolean) =>
    commits.some((c) => c.view === view && test(c.rows));

  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const app = start(instrumented(shape.fetchWith(offline)));
  await until(() => shows('project', (r) => Array.isArray(r) && r.length === watched.length), 'the first sync');
  // the SQLite copy is written as the stream commits; let it finish before measuring the heap
  await new Promise((resolve) => setTimeout(resolve, 200));
  collectGarbage();
  const bytesPerRow = (process.memoryUsage().heapUsed - heapBefore) / count;

  const latencies: number[] = [];
  const profiler = await startProfile();
  for (let i = 0; i < CHANGES; i++) {
    const row = watched[i % watched.length];
    const title = `changed ${i}`;
    commits.length = 0;
    shape.update(row.id, { title });
    await until(
      () => shows('project', (r) => Array.isArray(r) && r.some((t) => t.id === row.id && t.title === title)),
      `change ${i}`,
    );
    const commit = commits.find(
      (c) => c.view === 'project' && Array.isArray(c.rows) && c.rows.some((t) => t.id === row.id && t.title === title),
    )!;
    latencies.push(commit.at - leftServer);
  }
  await profiler.stop();
  app.stop();

  commits.length = 0;
  const doneRows = rows.filter((r) => r.project_id === projects[1] && r.status === 'done').length;
  const coldStarted = performance.now();
  const again = start(offline);
  await until(
    () =>
      shows('project', (r) => Array.isArray(r) && r.length === watched.length) &&
      shows('done', (r) => Array.isArray(r) && r.length === doneRows) &&
      shows('one', (r) => !Array.isArray(r) && r?.id === one.id),
    'the cold start',
  );
  const coldStartMs = performance.now() - coldStarted;
  // the rest of the stored rows enter in the background; the collection is ready once all have
  await until(() => again.collection().isReady() && again.collection().size === count, 'every stored row');
  const hydratedMs = performance.now() - coldStarted;
  again.stop();
  rmSync(dir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  return { rows: count, p50: at(50), p99: at(99), bytesPerRow, coldStartMs, hydratedMs };
}

/** LIVE_BENCH_PROFILE=file: a CPU profile of the change phase only. */
async function startProfile(): Promise<{ stop(): Promise<void> }> {
  const file = process.env['LIVE_BENCH_PROFILE'];
  if (!file) return { stop: async () => undefined };
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      (await import('node:fs')).writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

main().catch((error) => {
  process.stderr.write(`live bench: ${(error as Error).stack}\n`);
  process.exit(1);
});
