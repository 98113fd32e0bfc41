import { startTestServer, type TestServer } from '../src/testing';
import { apiClient } from './api-client';
import { conformsTo } from './conformance';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const api = apiClient(
  () => server.url,
  () => server.staff.headers,
);

describe('versions and preconditions (If-Match, 412)', () => {
  it('bumps a project’s version on every write, and answers it as the ETag', async () => {
    const project = (await api.newProject((await api.newUser()).id)) as unknown as { id: string; version: number };
    expect(project.version).toBe(1);
    const renamed = await api.call('PATCH', `/projects/${project.id}`, { name: 'Renamed' });
    expect(renamed.body).toMatchObject({ name: 'Renamed', version: 2 });
    const read = await fetch(`${server.url}/projects/${project.id}`, { headers: server.staff.headers });
    expect(read.headers.get('etag')).toBe('"2"');
    const written = await fetch(`${server.url}/projects/${project.id}`, {
      method: 'PATCH',
      headers: { ...server.staff.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Again' }),
    });
    expect(written.headers.get('etag')).toBe('"3"'); // a write's answer says the version it made
    const once = { ...server.staff.headers, 'content-type': 'application/json', 'idempotency-key': 'etag-replay' };
    const patch = { method: 'PATCH', headers: once, body: JSON.stringify({ name: 'Once' }) };
    await fetch(`${server.url}/projects/${project.id}`, patch);
    const replayed = await fetch(`${server.url}/projects/${project.id}`, patch);
    expect([replayed.headers.get('idempotent-replayed'), replayed.headers.get('etag')]).toEqual(['true', '"4"']);
  });

  it('applies a write whose If-Match names the current version, and answers 412 with the row when it moved on', async () => {
    const project = (await api.newProject((await api.newUser()).id)) as { id: string };
    const first = await api.call('PATCH', `/projects/${project.id}`, { name: 'A' }, { 'if-match': '"1"' });
    expect(first).toMatchObject({ status: 200, body: { name: 'A', version: 2 } });
    // a second client, still based on version 1: refused, nothing written, the row as it stands answered
    const stale = await api.call('PATCH', `/projects/${project.id}`, { name: 'B' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.txid).toBeNull();
    expect(stale.body).toMatchObject({ id: project.id, name: 'A', version: 2 });
    expect(conformsTo('Project', stale.body)).toEqual([]);
    expect((await api.call('DELETE', `/projects/${project.id}`, undefined, { 'if-match': '"1"' })).status).toBe(412);
    // a list of tags, or *, matches as RFC 9110 says; a weak tag never does
    expect((await api.call('PATCH', `/projects/${project.id}`, { name: 'C' }, { 'if-match': '"7", "2"' })).status).toBe(
      200,
    );
    expect((await api.call('PATCH', `/projects/${project.id}`, { name: 'D' }, { 'if-match': 'W/"3"' })).status).toBe(
      412,
    );
    expect((await api.call('PATCH', `/projects/${project.id}`, { name: 'E' }, { 'if-match': '*' })).status).toBe(200);
    expect((await api.call('DELETE', `/projects/${project.id}`, undefined, { 'if-match': '"4"' })).status).toBe(204);
  });

  it('bumps a todo’s version on domain actions too: a write based on the version before one is refused', async () => {
    const project = await api.newProject((await api.newUser()).id);
    const created = await api.call('POST', '/todos', {
      project_id: project.id,
      title: 'T',
      status: 'todo',
      priority: 1,
      due_at: null,
    });
    const todo = created.body as unknown as { id: string; version: number };
    expect(todo.version).toBe(1);
    await api.call('POST', `/todos/${todo.id}/archive`);
    const stale = await api.call('PATCH', `/todos/${todo.id}`, { status: 'done' }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ archived: true, version: 2, status: 'todo' });
    expect(conformsTo('Todo', stale.body)).toEqual([]);
  });

  it('refuses a malformed If-Match before touching anything', async () => {
    const project = (await api.newProject((await api.newUser()).id)) as { id: string };
    const bad = await api.call('PATCH', `/projects/${project.id}`, { name: 'X' }, { 'if-match': '1' });
    expect(bad.status).toBe(400);
    expect((await api.call('GET', `/projects/${project.id}`)).body).toMatchObject({ name: 'P', version: 1 });
  });
});
