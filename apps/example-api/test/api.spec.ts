import { randomUUID } from 'node:crypto';
import { startTestServer } from '../src/testing';
import type { TestServer } from '../src/testing';
import { apiClient } from './api-client';
import { conformsTo } from './conformance';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const { call, newUser, newProject } = apiClient(
  () => server.url,
  () => server.staff.headers,
);

describe('example API on real Postgres', () => {
  it('creates, reads, patches and deletes, each write answering its Postgres txid', async () => {
    const user = await newUser();
    const project = await newProject(user.id);
    const id = randomUUID();
    const created = await call('POST', '/todos', {
      id,
      project_id: project.id,
      title: 'Write tests',
      status: 'todo',
      priority: 2,
      due_at: null,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id, title: 'Write tests', status: 'todo', priority: 2, due_at: null });
    expect(conformsTo('Todo', created.body)).toEqual([]);

    const fetched = await call('GET', `/todos/${id}`);
    expect(fetched.body).toEqual(created.body);

    const patched = await call('PATCH', `/todos/${id}`, { status: 'done', due_at: '2027-01-01T09:00:00Z' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ status: 'done', due_at: '2027-01-01T09:00:00.000Z', title: 'Write tests' });
    expect(Date.parse(patched.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(created.body.updated_at));
    expect(conformsTo('Todo', patched.body)).toEqual([]);

    const deleted = await call('DELETE', `/todos/${id}`);
    expect(deleted.status).toBe(204);
    expect((await call('GET', `/todos/${id}`)).status).toBe(404);

    const txids = [created.txid, patched.txid, deleted.txid].map((t) => BigInt(t ?? 'missing'));
    expect(txids[0] < txids[1] && txids[1] < txids[2]).toBe(true);
  });

  it('answers lists in the documented shapes, filtered and paginated', async () => {
    const owner = await newUser();
    const names = ['a', 'b', 'c'];
    for (const name of names) await newProject(owner.id, name);
    const page = await call('GET', `/projects?owner_id=${owner.id}&offset=1&limit=1`);
    expect(page.status).toBe(200);
    expect(conformsTo('ProjectPage', page.body)).toEqual([]);
    expect(page.body.count).toBe(3);
    expect(page.body.data.map((p: { name: string }) => p.name)).toEqual(['b']);

    const project = await newProject(owner.id);
    await call('POST', '/todos', { project_id: project.id, title: 'one', status: 'doing', priority: 1 });
    await call('POST', '/todos', { project_id: project.id, title: 'two', status: 'done', priority: 1 });
    const doing = await call('GET', `/todos?project_id=${project.id}&status=doing`);
    expect(doing.body.map((t: { title: string }) => t.title)).toEqual(['one']);
    const users = await call('GET', '/users');
    for (const user of users.body) expect(conformsTo('User', user)).toEqual([]);
  });

  it('rejects invalid input with 422 and a Problem naming every bad field', async () => {
    const { status, body } = await call('POST', '/todos', {
      project_id: 'nope',
      title: '',
      status: 'later',
      priority: 9,
    });
    expect(status).toBe(422);
    expect(conformsTo('Problem', body)).toEqual([]);
    expect(body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      '/priority',
      '/project_id',
      '/status',
      '/title',
    ]);
  });

  it('maps constraint violations to 409 and 422, unknown ids and routes to 404', async () => {
    const user = await newUser('dup@example.com');
    const duplicate = await call('POST', '/users', { email: 'dup@example.com', name: 'Other', role: 'admin' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.details).toEqual([expect.objectContaining({ path: '/email' })]);

    const orphan = await call('POST', '/projects', { name: 'x', owner_id: randomUUID() });
    expect(orphan.status).toBe(422);
    expect(orphan.body.details).toEqual([expect.objectContaining({ path: '/owner_id' })]);

    expect((await call('PATCH', `/users/${randomUUID()}`, { name: 'n' })).status).toBe(404);
    expect((await call('DELETE', `/users/not-a-uuid`)).status).toBe(404);
    const missing = await call('GET', '/nowhere');
    expect(missing.status).toBe(404);
    expect(conformsTo('Problem', missing.body)).toEqual([]);
    expect((await call('DELETE', `/users/${user.id}`)).status).toBe(204);
  });

  it('sends no readOnly or unknown fields to the database', async () => {
    const forged = await call('POST', '/users', {
      email: `${randomUUID()}@x.io`,
      name: 'N',
      role: 'member',
      id: randomUUID(),
      created_at: '2000-01-01T00:00:00Z',
      admin: true,
    });
    expect(forged.status).toBe(201);
    expect(forged.body.created_at.startsWith('2000')).toBe(false);
  });

  it('does a write once per Idempotency-Key: a retry gets the first answer, txid included', async () => {
    const user = await newUser();
    const project = await newProject(user.id);
    const todo = { project_id: project.id, title: 'Once', status: 'todo', priority: 1 };
    const key = { 'idempotency-key': randomUUID() };
    const first = await call('POST', '/todos', todo, key);
    const retry = await call('POST', '/todos', todo, key);
    expect(first).toMatchObject({ status: 201, replayed: false });
    expect(retry).toMatchObject({ status: 201, replayed: true, txid: first.txid, body: first.body });
    expect((await call('GET', `/todos?project_id=${project.id}`)).body).toHaveLength(1);
    // the same key for another request is refused, not replayed
    expect(await call('POST', '/todos', { ...todo, title: 'Other' }, key)).toMatchObject({
      status: 422,
      body: { error: 'idempotency_key_reused' },
    });

    const patchKey = { 'idempotency-key': randomUUID() };
    const patched = await call('PATCH', `/todos/${first.body.id}`, { priority: 3 }, patchKey);
    await call('PATCH', `/todos/${first.body.id}`, { priority: 4 });
    expect(await call('PATCH', `/todos/${first.body.id}`, { priority: 3 }, patchKey)).toMatchObject({
      status: 200,
      replayed: true,
      txid: patched.txid,
    });
    expect((await call('GET', `/todos/${first.body.id}`)).body.priority).toBe(4); // the replay changed nothing

    const deleteKey = { 'idempotency-key': randomUUID() };
    const deleted = await call('DELETE', `/todos/${first.body.id}`, undefined, deleteKey);
    expect(await call('DELETE', `/todos/${first.body.id}`, undefined, deleteKey)).toMatchObject({
      status: 204,
      replayed: true,
      txid: deleted.txid,
    });
    expect((await call('DELETE', `/todos/${first.body.id}`)).status).toBe(404);

    // a refused write stores nothing under its key: fixed and retried, it runs
    const refusedKey = { 'idempotency-key': randomUUID() };
    expect((await call('POST', '/todos', { ...todo, priority: 9 }, refusedKey)).status).toBe(422);
    expect((await call('POST', '/todos', { ...todo, project_id: randomUUID() }, refusedKey)).status).toBe(422);
    expect((await call('POST', '/todos', todo, { 'idempotency-key': 'not ascii é' })).status).toBe(400);
  });

  it('takes hostile input as data: SQL in filters and field names, oversized bodies', async () => {
    const user = await newUser();
    const project = await newProject(user.id);
    await call('POST', '/todos', { project_id: project.id, title: 'target', status: 'todo', priority: 1 });
    // a filter is a bound parameter: SQL in it is a value that matches nothing (or fails the uuid format)
    expect((await call('GET', `/todos?status=${encodeURIComponent("todo' OR '1'='1")}`)).status).toBe(422);
    const filtered = await call(
      'GET',
      `/projects?owner_id=${encodeURIComponent(`${user.id}' OR '1'='1`)}&offset=0&limit=10`,
    );
    expect([400, 422]).toContain(filtered.status);
    // a field name is never SQL: unknown fields are dropped before the query is built
    const sneaky = await call('POST', '/todos', {
      project_id: project.id,
      title: 'x',
      status: 'todo',
      priority: 1,
      'title) VALUES ($1); DROP TABLE todos; --': 1,
    });
    expect(sneaky.status).toBe(201);
    expect((await call('GET', `/todos?project_id=${project.id}`)).body).toHaveLength(2);
    // bodies past the limit are refused before they are parsed
    expect(
      (
        await call('POST', '/todos', {
          project_id: project.id,
          title: 'x'.repeat(70 * 1024),
          status: 'todo',
          priority: 1,
        })
      ).status,
    ).toBe(413);
  });
});
