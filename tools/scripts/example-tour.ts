// The last step of `npm run example`: start the example API (embedded PGlite, seeded) and use the
// libraries just generated from its OpenAPI document to read and write through it — Project in push
// mode (plain API calls), Todo in live mode (a collection synced from the todos shape).
import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient } from '@tanstack/react-query';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { signIn, startTestServer } from '../../apps/example-api/src/testing';

async function tour(out: string, serve: boolean): Promise<void> {
  const lib = (name: string) => require(path.resolve(out, name, 'src'));
  // the seeded users' password: random, printed for --serve
  const password = randomBytes(9).toString('base64url');
  const server = await startTestServer({ seed: true, seedPassword: password });
  console.log(`\nexample-api running at ${server.url}`);
  try {
    // every route but sign-up and sign-in needs a bearer token: sign in as Ada (staff, owns Launch)
    const ada = await signIn(server.url, 'ada@example.com', password);
    console.log('POST /sessions → signed in as ada@example.com; the client sends Authorization: Bearer <token>');
    lib('core').configureExampleApi({ baseUrl: server.url, headers: ada.headers });
    const { listProjects } = lib('project');
    const { todoCollection, todoRowFromInput, updateTodo } = lib('todo');
    const projects = await listProjects();
    console.log(
      `listProjects() → ${projects.count} project(s): ${projects.data.map((p: { name: string }) => p.name).join(', ')}`,
    );

    // Todo is live: its rows stream from the shape server into a TanStack DB collection
    const app = new QueryClient();
    const todos = todoCollection(app);
    await todos.preload();
    console.log(`todoCollection(…) → ${todos.size} todo(s) synced from the todos shape stream`);
    const row = await todoRowFromInput({
      project_id: projects.data[0].id,
      title: 'Try sync-patterns',
      status: 'todo',
      priority: 1,
      due_at: null,
    });
    const write = todos.insert(row);
    console.log(
      `insert "${row.title}" → in the collection at once (${todos.size} rows), created_at ${todos.get(row.id).created_at ?? 'not yet known'}`,
    );
    await write.isPersisted.promise;
    console.log(
      `  its txid arrived in the stream: the row is the server's now, created_at ${todos.get(row.id).created_at}`,
    );
    await updateTodo(row.id, { status: 'done' }); // a write through the API, by anyone, streams in too
    await waitFor(() => todos.get(row.id)?.status === 'done');
    for (const todo of todos.toArray.filter((t: { project_id: string }) => t.project_id === projects.data[0].id)) {
      console.log(`  [${todo.status === 'done' ? 'x' : ' '}] ${todo.title} (priority ${todo.priority})`);
    }
    closeLiveCollections(app);

    // TodoCount is cache mode: computed by the API in SQL, kept fresh for its ttl, revalidated by ETag
    const { todoCountListQueryOptions, selectTodoCounts } = lib('todo-count');
    const counts = await app.fetchQuery(todoCountListQueryOptions());
    for (const count of selectTodoCounts(counts.data))
      console.log(`todoCounts: ${count.project_name}: ${count.done}/${count.total} done (ETag ${counts.etag})`);
    await app.invalidateQueries({ queryKey: todoCountListQueryOptions().queryKey });
    const again = await app.fetchQuery(todoCountListQueryOptions());
    console.log(`  revalidated: ${again.data === counts.data ? '304 Not Modified, the same data kept' : 'new data'}`);
    if (serve) {
      console.log(
        `\nServing ${server.url} until Ctrl-C. Sign in as ada@example.com (staff) or grace@example.com (member), password ${password}:`,
      );
      console.log(`  curl -s ${server.url}/todos -H "authorization: Bearer ${ada.token}"`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await server.close();
  }
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the change did not arrive in the shape stream within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const [out = 'tmp/example/example-api', ...flags] = process.argv.slice(2);
tour(out, flags.includes('--serve')).then(
  // @electric-sql/client leaves a 60 s timer behind (its throttled up-to-date tracker)
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
