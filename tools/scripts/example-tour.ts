// The last step of `npm run example`: start the example API (embedded PGlite, seeded) and use the
// libraries just generated from its OpenAPI document to read and write through it.
import * as path from 'node:path';
import { startTestServer } from '../../apps/example-api/src/testing';

async function tour(out: string, serve: boolean): Promise<void> {
  const lib = (name: string) => require(path.resolve(out, name, 'src'));
  const server = await startTestServer({ seed: true });
  console.log(`\nexample-api running at ${server.url}`);
  try {
    lib('core').configureExampleApi({ baseUrl: server.url });
    const { listProjects } = lib('project');
    const { listTodos, createTodo, updateTodo } = lib('todo');
    const projects = await listProjects();
    console.log(`listProjects() → ${projects.count} project(s): ${projects.data.map((p: { name: string }) => p.name).join(', ')}`);
    const created = await createTodo({ project_id: projects.data[0].id, title: 'Try sync-patterns', status: 'todo', priority: 1, due_at: null });
    console.log(`createTodo(…) → ${created.id} "${created.title}"`);
    await updateTodo(created.id, { status: 'done' });
    const todos = await listTodos({ project_id: projects.data[0].id });
    for (const todo of todos) console.log(`  [${todo.status === 'done' ? 'x' : ' '}] ${todo.title} (priority ${todo.priority})`);
    if (serve) {
      console.log(`\nServing ${server.url} until Ctrl-C (try GET ${server.url}/todos).`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
  } finally {
    await server.close();
  }
}

const [out = 'tmp/example/example-api', ...flags] = process.argv.slice(2);
tour(out, flags.includes('--serve')).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
