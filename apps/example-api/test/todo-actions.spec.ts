import { randomUUID } from 'node:crypto';
import { signUp, startTestServer, type TestServer, type TestSession } from '../src/testing';
import { apiClient } from './api-client';
import { conformsTo } from './conformance';

let server: TestServer;
let member: TestSession;
beforeAll(async () => {
  server = await startTestServer();
  member = await signUp(server.url, 'Outsider');
});
afterAll(() => server?.close());

const staff = apiClient(
  () => server.url,
  () => server.staff.headers,
);
const outsider = apiClient(
  () => server.url,
  () => member.headers,
);

async function todoIn(projectId: string, title: string) {
  const { body } = await staff.call('POST', '/todos', {
    project_id: projectId,
    title,
    status: 'todo',
    priority: 3,
    due_at: null,
  });
  return body as { id: string };
}

describe('todo actions (archive, move, complete a project)', () => {
  it('archives a todo in one write with its txid; the answer conforms to the spec', async () => {
    const project = await staff.newProject((await staff.newUser()).id);
    const todo = await todoIn(project.id, 'old');
    const archived = await staff.call('POST', `/todos/${todo.id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.txid).toMatch(/^\d+$/);
    expect(archived.body).toMatchObject({ id: todo.id, archived: true });
    expect(conformsTo('Todo', archived.body)).toEqual([]);
    // a member of nothing does not see the todo: 404, as for one that does not exist
    expect((await outsider.call('POST', `/todos/${todo.id}/archive`)).status).toBe(404);
    expect((await staff.call('POST', `/todos/${randomUUID()}/archive`)).status).toBe(404);
  });

  it('moves a todo to a project the caller belongs to, and refuses one it does not see with a 422', async () => {
    const owner = await staff.newUser();
    const [from, to] = [await staff.newProject(owner.id, 'from'), await staff.newProject(owner.id, 'to')];
    const todo = await todoIn(from.id, 'travels');
    const moved = await staff.call('POST', `/todos/${todo.id}/move`, { project_id: to.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: todo.id, project_id: to.id });
    expect(conformsTo('Todo', moved.body)).toEqual([]);
    const nowhere = await staff.call('POST', `/todos/${todo.id}/move`, { project_id: randomUUID() });
    expect(nowhere.status).toBe(422);
    expect(nowhere.body).toMatchObject({ details: [{ path: '/project_id' }] });
    expect((await staff.call('POST', `/todos/${todo.id}/move`, {})).status).toBe(422);
  });

  it('completes every open, unarchived todo of a project in one transaction, once per Idempotency-Key', async () => {
    const project = await staff.newProject((await staff.newUser()).id);
    const other = await staff.newProject((await staff.newUser()).id);
    const [open, archived] = [await todoIn(project.id, 'open'), await todoIn(project.id, 'archived')];
    const elsewhere = await todoIn(other.id, 'elsewhere');
    await staff.call('POST', `/todos/${archived.id}/archive`);
    const key = { 'idempotency-key': randomUUID() };
    const completed = await staff.call('POST', `/projects/${project.id}/todos/complete`, undefined, key);
    expect(completed.status).toBe(200);
    expect((completed.body as { id: string }[]).map((t) => t.id)).toEqual([open.id]);
    for (const row of completed.body as unknown[]) expect(conformsTo('Todo', row)).toEqual([]);
    const again = await staff.call('POST', `/projects/${project.id}/todos/complete`, undefined, key);
    expect(again).toMatchObject({ status: 200, replayed: true, txid: completed.txid, body: completed.body });
    expect((await staff.call('GET', `/todos/${archived.id}`)).body).toMatchObject({ status: 'todo' });
    expect((await staff.call('GET', `/todos/${elsewhere.id}`)).body).toMatchObject({ status: 'todo' });
    expect((await outsider.call('POST', `/projects/${project.id}/todos/complete`)).status).toBe(404);
  });
});
