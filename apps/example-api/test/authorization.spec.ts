import { randomUUID } from 'node:crypto';
import { signUp, startTestServer, type TestServer, type TestSession } from '../src/testing';
import { apiClient, type Headers } from './api-client';
import { conformsTo } from './conformance';

/**
 * The example API's route × method × user matrix: anonymous, an outsider (signed in, in no
 * project), a project member, its owner and staff. Every refusal is checked for its status and for
 * what it did not do: nothing changed, nothing of the row leaked into the answer.
 */
let server: TestServer;
let owner: TestSession;
let member: TestSession;
let outsider: TestSession;
let project: { id: string };
let todo: { id: string };

type Who = 'anonymous' | 'outsider' | 'member' | 'owner' | 'staff';
const USERS: readonly Who[] = ['anonymous', 'outsider', 'member', 'owner', 'staff'];
const headersOf = (who: Who): Headers =>
  who === 'anonymous'
    ? {}
    : { outsider: () => outsider, member: () => member, owner: () => owner, staff: () => server.staff }[who]().headers;
const as = (who: Who) =>
  apiClient(
    () => server.url,
    () => headersOf(who),
  ).call;
const staff = as('staff');

beforeAll(async () => {
  server = await startTestServer();
  [owner, member, outsider] = await Promise.all([
    signUp(server.url, 'Owner'),
    signUp(server.url, 'Member'),
    signUp(server.url, 'Outsider'),
  ]);
  project = (
    await as('owner')('POST', '/projects', { name: 'Secret plan', owner_id: owner.userId, description: 'only for us' })
  ).body;
  expect((await as('owner')('POST', `/projects/${project.id}/members`, { user_id: member.userId })).status).toBe(201);
  todo = (
    await staff('POST', '/todos', {
      project_id: project.id,
      title: 'Hidden title',
      status: 'todo',
      priority: 1,
      internal_notes: 'staff eyes only',
    })
  ).body;
}, 60_000);
afterAll(() => server?.close());

/** Runs `request` as every user; expects each user's status, and that refusals echo nothing stored. */
async function matrix(
  expected: Record<Who, number>,
  request: (call: ReturnType<typeof as>) => ReturnType<ReturnType<typeof as>>,
) {
  const got: Partial<Record<Who, number>> = {};
  for (const who of USERS) {
    const answer = await request(as(who));
    got[who] = answer.status;
    if (answer.status >= 400) {
      expect(conformsTo('Problem', answer.body)).toEqual([]);
      expect(JSON.stringify(answer.body)).not.toMatch(
        /Secret plan|Hidden title|staff eyes only|only for us|@example\.com/,
      );
    }
  }
  expect(got).toEqual(expected);
}

describe('who may read what', () => {
  it('lists only what each user sees', async () => {
    const ids = async (who: Who, url: string) => {
      const { status, body } = await as(who)('GET', url);
      return status === 200
        ? (Array.isArray(body) ? body : body.data).map(
            (row: { id?: string; project_id?: string }) => row.id ?? row.project_id,
          )
        : status;
    };
    expect(await ids('anonymous', '/projects')).toBe(401);
    expect(await ids('outsider', '/projects')).toEqual([]);
    expect(await ids('member', '/projects')).toEqual([project.id]);
    expect(await ids('outsider', '/todos')).toEqual([]);
    expect(await ids('outsider', `/todos?project_id=${project.id}`)).toEqual([]);
    expect(await ids('member', `/todos?project_id=${project.id}`)).toEqual([todo.id]);
    expect(await ids('outsider', '/metrics/todo-counts')).toEqual([]);
    expect(await ids('member', '/metrics/todo-counts')).toEqual([project.id]);
    expect(await ids('outsider', '/users')).toEqual([outsider.userId]);
    expect((await ids('member', '/users')).sort()).toEqual([member.userId, owner.userId].sort());
    expect(await ids('staff', '/users')).toEqual(
      expect.arrayContaining([member.userId, owner.userId, outsider.userId]),
    );
  });

  it('answers a row to those who see it, 404 to the others', async () => {
    await matrix({ anonymous: 401, outsider: 404, member: 200, owner: 200, staff: 200 }, (call) =>
      call('GET', `/projects/${project.id}`),
    );
    await matrix({ anonymous: 401, outsider: 404, member: 200, owner: 200, staff: 200 }, (call) =>
      call('GET', `/todos/${todo.id}`),
    );
    await matrix({ anonymous: 401, outsider: 404, member: 200, owner: 200, staff: 200 }, (call) =>
      call('GET', `/users/${owner.userId}`),
    );
    await matrix({ anonymous: 401, outsider: 404, member: 200, owner: 200, staff: 200 }, (call) =>
      call('GET', `/projects/${project.id}/members`),
    );
    await matrix({ anonymous: 401, outsider: 200, member: 200, owner: 200, staff: 200 }, (call) =>
      call('GET', '/sessions/current'),
    );
  });

  it('answers staff-only fields to staff only', async () => {
    expect((await as('member')('GET', `/todos/${todo.id}`)).body).not.toHaveProperty('internal_notes');
    expect((await as('owner')('GET', `/todos?project_id=${project.id}`)).body[0]).not.toHaveProperty('internal_notes');
    expect((await staff('GET', `/todos/${todo.id}`)).body).toMatchObject({ internal_notes: 'staff eyes only' });
  });

  it('serves shapes to signed-in users only', async () => {
    const shape = (headers: Headers) =>
      fetch(`${server.url}/v1/shape?table=todos&offset=-1`, { headers }).then((r) => r.status);
    expect(await shape({})).toBe(401);
    expect(await shape({ authorization: 'Bearer not-a-real-token-but-long-enough' })).toBe(401);
    expect(await shape(member.headers)).toBe(200);
  });
});

describe('who may change what', () => {
  const unchanged = async (url: string, field: string, value: unknown) =>
    expect((await staff('GET', url)).body[field]).toEqual(value);

  it('users: only staff create users or grant roles; a user changes only themselves', async () => {
    await matrix({ anonymous: 401, outsider: 403, member: 403, owner: 403, staff: 201 }, (call) =>
      call('POST', '/users', { email: `${randomUUID()}@example.org`, name: 'New', role: 'admin' }),
    );
    await matrix({ anonymous: 401, outsider: 404, member: 403, owner: 200, staff: 200 }, (call) =>
      call('PATCH', `/users/${owner.userId}`, { name: 'Owner' }),
    );
    // nobody but staff assigns a role, their own included
    expect((await as('member')('PATCH', `/users/${member.userId}`, { role: 'admin' })).status).toBe(403);
    await unchanged(`/users/${member.userId}`, 'role', 'member');
    // sign-up ignores a role in its body: roles are never self-assigned
    const signup = await fetch(`${server.url}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: `${randomUUID()}@example.org`,
        name: 'Eve',
        password: 'long enough password',
        role: 'admin',
      }),
    });
    expect(signup.status).toBe(201);
    expect(((await signup.json()) as { user: { role: string } }).user.role).toBe('member');
    expect((await as('anonymous')('DELETE', `/users/${owner.userId}`)).status).toBe(401);
    expect((await as('outsider')('DELETE', `/users/${owner.userId}`)).status).toBe(404);
    expect((await as('member')('DELETE', `/users/${owner.userId}`)).status).toBe(403);
    await unchanged(`/users/${owner.userId}`, 'id', owner.userId);
    const leaving = await signUp(server.url, 'Leaving');
    expect(
      (
        await apiClient(
          () => server.url,
          () => leaving.headers,
        ).call('DELETE', `/users/${leaving.userId}`)
      ).status,
    ).toBe(204);
    expect((await staff('DELETE', `/users/${(await signUp(server.url, 'Removed')).userId}`)).status).toBe(204);
  });

  it('projects: created for oneself; changed and deleted by the owner and staff only', async () => {
    await matrix({ anonymous: 401, outsider: 403, member: 403, owner: 201, staff: 201 }, (call) =>
      call('POST', '/projects', { name: 'Mine', owner_id: owner.userId }),
    );
    await matrix({ anonymous: 401, outsider: 404, member: 403, owner: 200, staff: 200 }, (call) =>
      call('PATCH', `/projects/${project.id}`, { description: 'only for us' }),
    );
    expect((await as('member')('PATCH', `/projects/${project.id}`, { name: 'Taken over' })).status).toBe(403);
    await unchanged(`/projects/${project.id}`, 'name', 'Secret plan');
    const doomed = async () =>
      (await as('owner')('POST', '/projects', { name: 'Doomed', owner_id: owner.userId })).body.id as string;
    for (const [who, status] of [
      ['anonymous', 401],
      ['outsider', 404],
      ['member', 404],
    ] as const) {
      const id = await doomed();
      expect((await as(who)('DELETE', `/projects/${id}`)).status).toBe(status);
      await unchanged(`/projects/${id}`, 'id', id);
    }
    expect((await as('owner')('DELETE', `/projects/${await doomed()}`)).status).toBe(204);
    expect((await staff('DELETE', `/projects/${await doomed()}`)).status).toBe(204);
  });

  it('members: added and removed by the owner and staff; a member may leave', async () => {
    const extra = await signUp(server.url, 'Extra');
    await matrix({ anonymous: 401, outsider: 404, member: 403, owner: 201, staff: 409 }, (call) =>
      call('POST', `/projects/${project.id}/members`, { user_id: extra.userId }),
    );
    expect((await as('member')('DELETE', `/projects/${project.id}/members/${extra.userId}`)).status).toBe(403);
    expect((await as('outsider')('DELETE', `/projects/${project.id}/members/${extra.userId}`)).status).toBe(404);
    expect(
      (
        await apiClient(
          () => server.url,
          () => extra.headers,
        ).call('DELETE', `/projects/${project.id}/members/${extra.userId}`)
      ).status,
    ).toBe(204);
    expect(
      (
        await apiClient(
          () => server.url,
          () => extra.headers,
        ).call('GET', `/projects/${project.id}`)
      ).status,
    ).toBe(404);
  });

  it('todos: written by the project’s members; staff-only notes written by staff only', async () => {
    const create = { project_id: project.id, title: 'New', status: 'todo', priority: 2 };
    await matrix({ anonymous: 401, outsider: 422, member: 201, owner: 201, staff: 201 }, (call) =>
      call('POST', '/todos', create),
    );
    expect((await as('member')('POST', '/todos', { ...create, internal_notes: 'sneaky' })).status).toBe(403);
    await matrix({ anonymous: 401, outsider: 404, member: 200, owner: 200, staff: 200 }, (call) =>
      call('PATCH', `/todos/${todo.id}`, { title: 'Hidden title' }),
    );
    expect((await as('member')('PATCH', `/todos/${todo.id}`, { internal_notes: 'overwritten' })).status).toBe(403);
    await unchanged(`/todos/${todo.id}`, 'internal_notes', 'staff eyes only');
    const doomed = (await staff('POST', '/todos', create)).body.id as string;
    expect((await as('outsider')('DELETE', `/todos/${doomed}`)).status).toBe(404);
    await unchanged(`/todos/${doomed}`, 'id', doomed);
    expect((await as('member')('DELETE', `/todos/${doomed}`)).status).toBe(204);
  });

  it('keeps Idempotency-Keys per user: another user’s key replays nothing to you', async () => {
    const key = { 'idempotency-key': randomUUID() };
    const body = { project_id: project.id, title: 'Once', status: 'todo', priority: 1 };
    expect((await as('member')('POST', '/todos', body, key)).status).toBe(201);
    const stolen = await as('outsider')('POST', '/todos', body, key);
    expect(stolen).toMatchObject({ status: 422, replayed: false });
  });
});

describe('sessions', () => {
  it('signs in with the right password only, the same answer for an unknown email', async () => {
    const email = `${randomUUID()}@example.org`;
    const made = await fetch(`${server.url}/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name: 'Pat', password: 'correct horse' }),
    });
    expect(made.status).toBe(201);
    const signIn = (body: object) =>
      fetch(`${server.url}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const wrong = await signIn({ email, password: 'wrong horse' });
    const unknown = await signIn({ email: `${randomUUID()}@example.org`, password: 'correct horse' });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(await wrong.json()).toEqual(await unknown.json());
    const right = await signIn({ email, password: 'correct horse' });
    expect(right.status).toBe(201);
    const { token } = (await right.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${server.url}/sessions/current`, { headers })).status).toBe(200);
    expect((await fetch(`${server.url}/sessions/current`, { method: 'DELETE', headers })).status).toBe(204);
    expect((await fetch(`${server.url}/sessions/current`, { headers })).status).toBe(401);
  });

  it('refuses malformed and unknown tokens with 401, before reading the body', async () => {
    for (const authorization of ['Basic YWRhOnNlY3JldA==', 'Bearer', 'Bearer short', `Bearer ${'x'.repeat(43)}`]) {
      const answer = await apiClient(
        () => server.url,
        () => ({ authorization }),
      ).call('POST', '/todos', { not: 'valid' });
      expect([authorization, answer.status]).toEqual([authorization, 401]);
    }
  });
});

describe('errors say what was wrong, and nothing stored', () => {
  it('maps bad input that reaches Postgres to 422, never 500', async () => {
    expect(
      (await staff('POST', '/todos', { project_id: project.id, title: 'nul \u0000 byte', status: 'todo', priority: 1 }))
        .status,
    ).toBe(422);
    expect((await staff('GET', '/projects?offset=99999999999999999999&limit=1')).status).toBe(422);
  });

  it('answers a duplicate with the field, not the stored value', async () => {
    const { body: me } = await as('owner')('GET', '/sessions/current');
    const duplicate = await staff('POST', '/users', { email: me.user.email, name: 'Twin', role: 'member' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.details).toEqual([{ path: '/email', message: 'is already taken' }]);
    expect(JSON.stringify(duplicate.body)).not.toContain(me.user.email);
  });
});
