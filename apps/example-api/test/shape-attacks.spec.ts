import { randomUUID } from 'node:crypto';
import { shapePolicy } from '@sync-patterns/example-api-core/shape-policy';
import { signUp, startTestServer, type TestServer, type TestSession } from '../src/testing';
import { apiClient } from './api-client';

/**
 * The example API's shape route as an attacker tries it: every mix of table, columns, where,
 * parameters and subset parameters; handles and offsets of another user's shape; oversized and
 * malformed requests. Whatever is asked, no column outside the policy's allow-list and no row
 * outside the asking user's projects comes back, and every refusal is a 400, 401, 403, 405, 409,
 * 413 or 431 with a body that says why.
 */
let server: TestServer;
let ada: TestSession;
let bob: TestSession;
let outsider: TestSession;
const projects: Record<'ada' | 'bob', string> = { ada: '', bob: '' };
const ALLOWED = new Set<string>(shapePolicy.todos.columns);
/** Text that only rows the asking user must not see (or columns nobody may read) hold. */
const SECRET_NOTE = 'staff eyes only';
const titleOf = (who: 'ada' | 'bob') => `${who}-private-title`;

beforeAll(async () => {
  server = await startTestServer();
  [ada, bob, outsider] = await Promise.all([
    signUp(server.url, 'Ada'),
    signUp(server.url, 'Bob'),
    signUp(server.url, 'Eve'),
  ]);
  const staff = apiClient(
    () => server.url,
    () => server.staff.headers,
  ).call;
  for (const [who, session] of [
    ['ada', ada],
    ['bob', bob],
  ] as const) {
    const project = await staff('POST', '/projects', { name: `${who}'s`, owner_id: session.userId });
    projects[who] = project.body.id;
    for (let i = 0; i < 3; i++)
      expect(
        (
          await staff('POST', '/todos', {
            id: randomUUID(),
            project_id: project.body.id,
            title: titleOf(who),
            status: 'todo',
            priority: 1,
            internal_notes: SECRET_NOTE,
          })
        ).status,
      ).toBe(201);
  }
}, 60_000);
afterAll(() => server?.close());

interface Answer {
  status: number;
  text: string;
  headers: Headers;
}
const ask = async (query: string, who?: TestSession, init: RequestInit = {}): Promise<Answer> => {
  const response = await fetch(`${server.url}/v1/shape?${query}`, {
    ...init,
    headers: { ...(who?.headers ?? {}), ...(init.headers as object) },
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
};

/** What must hold of any answer to `who`: only allowed columns, only their rows, refusals that say why. */
function expectSafe(answer: Answer, who: 'ada' | 'bob' | 'outsider' | 'anonymous', query: string): void {
  const context = `${who} ${query} → ${answer.status} ${answer.text.slice(0, 200)}`;
  expect([context, [200, 304, 400, 401, 403, 405, 409, 413, 431].includes(answer.status)]).toEqual([context, true]);
  expect([context, answer.text.includes(SECRET_NOTE)]).toEqual([context, false]);
  for (const other of ['ada', 'bob'] as const)
    if (other !== who) expect([context, answer.text.includes(titleOf(other))]).toEqual([context, false]);
  if (answer.status >= 400 && answer.status !== 431 && answer.status !== 409) {
    const body = JSON.parse(answer.text) as { message?: unknown; detail?: unknown; title?: unknown };
    expect([context, typeof (body.message ?? body.detail ?? body.title)]).toEqual([context, 'string']);
  }
  if (answer.status !== 200) return;
  const messages = answer.headers.get('content-type')?.includes('event-stream')
    ? answer.text
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as unknown)
    : ([] as unknown[]).concat(JSON.parse(answer.text) as unknown);
  const values = messages.flatMap((m) => {
    if (typeof m !== 'object' || m === null) return [];
    // a subset's answer: { metadata, data: [messages] }
    const inner = 'data' in m ? ((m as { data: unknown[] }).data ?? []) : [m];
    return inner.flatMap((x) =>
      (x as { value?: Record<string, unknown> }).value ? [(x as { value: Record<string, unknown> }).value] : [],
    );
  });
  for (const value of values) {
    const extra = Object.keys(value).filter((k) => !ALLOWED.has(k));
    expect([context, extra]).toEqual([context, []]);
    if ('project_id' in value)
      expect([context, who !== 'outsider' && who !== 'anonymous' && value['project_id'] === projects[who]]).toEqual([
        context,
        true,
      ]);
  }
}

const TABLES = [
  'todos',
  'users',
  'projects',
  'project_members',
  'sessions',
  'passwords',
  'idempotency_keys',
  'schema_migrations',
  'sync_patterns.sync_changes',
  'sync_patterns.sync_shapes',
  'sync_patterns.sync_shape_chunks',
  'public.todos',
  '"todos"',
  'TODOS',
  'todos\u0000',
  'pg_catalog.pg_authid',
  '',
  '__proto__',
];
const COLUMNS = [
  undefined,
  'id,title',
  'id,internal_notes',
  '"internal_notes"',
  'id,project_id,title,internal_notes',
  '*',
  'id,"Title"',
];
const WHERES = [undefined, '1=1', 'true) OR (true', "internal_notes = 'staff eyes only'", 'project_id IS NOT NULL'];
const PARAMS = [undefined, 'params[1]=x', 'params[2]=true', 'params%5B1%5D=x'];
const SUBSETS = [
  undefined,
  `subset__where=${encodeURIComponent('internal_notes IS NOT NULL')}`,
  `subset__where=${encodeURIComponent('title IS NOT NULL')}&subset__order_by=title&subset__limit=5`,
  `subset__where=${encodeURIComponent('project_id IN (SELECT id FROM projects)')}`,
  `subset__where=${encodeURIComponent('true) OR (true')}`,
  'subset__order_by=internal_notes&subset__limit=1',
  `subset__where=${encodeURIComponent('project_id = $1')}&subset__params=${encodeURIComponent(JSON.stringify({ 1: '00000000-0000-0000-0000-000000000000' }))}`,
  `subset__where_expr=${encodeURIComponent('{"type":"func","name":"eq","args":[{"type":"ref","path":["internal_notes"]},{"type":"val","value":"x"}]}')}`,
];
const join = (...parts: (string | undefined)[]) => parts.filter(Boolean).join('&');

describe('the shape route under attack', () => {
  it('gives no table outside the policy, whatever columns are asked', async () => {
    for (const table of TABLES)
      for (const columns of COLUMNS) {
        const query = join(
          `table=${encodeURIComponent(table)}`,
          'offset=-1',
          columns && `columns=${encodeURIComponent(columns)}`,
        );
        const answer = await ask(query, ada);
        expectSafe(answer, 'ada', query);
        if (table !== 'todos') expect([query, answer.status]).toEqual([query, expect.any(Number)]);
        if (table !== 'todos') expect([query, [400, 403].includes(answer.status)]).toEqual([query, true]);
      }
  });

  it("never widens a user's rows or columns, whatever mix of columns, where, parameters and subset is sent", async () => {
    let served = 0;
    for (const columns of COLUMNS)
      for (const where of WHERES)
        for (const params of PARAMS)
          for (const subset of SUBSETS) {
            const query = join(
              'table=todos',
              'offset=-1',
              columns && `columns=${encodeURIComponent(columns)}`,
              where && `where=${encodeURIComponent(where)}`,
              params,
              subset,
            );
            for (const [who, session] of [
              ['ada', ada],
              ['outsider', outsider],
            ] as const) {
              const answer = await ask(query, session);
              expectSafe(answer, who, query);
              if (answer.status === 200) served++;
            }
          }
    // the harmless mixes were served (this suite is not passing by refusing everything)
    expect(served).toBeGreaterThan(10);
    // and strangers get 401 whatever they ask
    for (const query of [
      'table=todos&offset=-1',
      'table=users&offset=-1',
      'table=todos&offset=-1&columns=id,internal_notes',
    ])
      expect((await ask(query)).status).toBe(401);
    expect(
      (
        await ask('table=todos&offset=-1', undefined, {
          headers: { authorization: 'Bearer forged-token-forged-token' },
        })
      ).status,
    ).toBe(401);
  });

  it('serves each user their own rows, and the allowed columns by default', async () => {
    const own = await ask('table=todos&offset=-1', ada);
    expect(own.status).toBe(200);
    expect(own.text).toContain(titleOf('ada'));
    expectSafe(own, 'ada', 'own');
    const none = await ask('table=todos&offset=-1', outsider);
    expectSafe(none, 'outsider', 'none');
    expect(none.text).not.toContain('"value"');
  });

  it("does not let a handle or offset of another user's shape reach its rows", async () => {
    // ada reads her shape to its end
    const first = await ask('table=todos&offset=-1', ada);
    const handle = first.headers.get('electric-handle')!;
    let offset = first.headers.get('electric-offset')!;
    const caughtUp = await ask(`table=todos&offset=${offset}&handle=${handle}`, ada);
    offset = caughtUp.headers.get('electric-offset')!;
    for (const query of [
      `table=todos&offset=-1&handle=${handle}`,
      `table=todos&offset=0_0&handle=${handle}`,
      `table=todos&offset=${offset}&handle=${handle}`,
      `table=todos&offset=${offset}&handle=${handle}&live=true`,
      `table=todos&offset=${offset}&handle=${handle}&live=true&live_sse=true`,
      `table=todos&offset=${offset}&handle=${handle}&subset__where=${encodeURIComponent('title IS NOT NULL')}`,
      `table=todos&offset=now&handle=${handle}`,
    ]) {
      const answer = await ask(query, bob);
      expectSafe(answer, 'bob', query);
      // bob's request names ada's handle: not his shape, so he is sent to his own
      if (answer.status === 409) expect(answer.headers.get('electric-handle')).not.toBe(handle);
    }
    // writes to ada's project and then to bob's: bob's live request gets his, never hers
    const bobFirst = await ask('table=todos&offset=-1', bob);
    const bobHandle = bobFirst.headers.get('electric-handle')!;
    const bobUp = await ask(`table=todos&offset=${bobFirst.headers.get('electric-offset')}&handle=${bobHandle}`, bob);
    const live = ask(`table=todos&offset=${bobUp.headers.get('electric-offset')}&handle=${bobHandle}&live=true`, bob);
    const staff = apiClient(
      () => server.url,
      () => server.staff.headers,
    ).call;
    await staff('POST', '/todos', { project_id: projects.ada, title: titleOf('ada'), status: 'todo', priority: 1 });
    await staff('POST', '/todos', { project_id: projects.bob, title: 'bob-later', status: 'todo', priority: 1 });
    let answer = await live;
    // (woken by ada's write alone, it answers up-to-date: then the next live request gets bob's)
    if (!answer.text.includes('bob-later')) {
      expectSafe(answer, 'bob', 'live after a write to ada');
      answer = await ask(
        `table=todos&offset=${answer.headers.get('electric-offset')}&handle=${bobHandle}&live=true`,
        bob,
      );
    }
    expect(answer.text).toContain('bob-later');
    expectSafe(answer, 'bob', 'live after writes to ada and bob');
  });

  it('refuses oversized and malformed requests with a status that says so', async () => {
    const cases: [string, RequestInit, number][] = [
      [`table=todos&offset=-1&where=${'x'.repeat(20_000)}`, {}, 431],
      ['table=todos&offset=abc', {}, 400],
      ['table=todos&offset=-1&live=true', {}, 400],
      ['table=todos&offset=-1&subset__params=not-json', {}, 400],
      ['table=todos&offset=-1&subset__limit=99999999&subset__order_by=title', {}, 400],
      ['table=todos&offset=-1&table=users', {}, 400],
      ['table=todos&offset=-1&handle=x&handle=y', {}, 400],
      [
        'table=todos&offset=now&log=changes_only',
        { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } },
        400,
      ],
      [
        'table=todos&offset=now&log=changes_only',
        {
          method: 'POST',
          body: JSON.stringify({ where: 'x'.repeat(70_000) }),
          headers: { 'content-type': 'application/json' },
        },
        413,
      ],
      [
        'table=todos&offset=now&log=changes_only',
        {
          method: 'POST',
          body: JSON.stringify({ where: 'internal_notes IS NULL' }),
          headers: { 'content-type': 'application/json' },
        },
        403,
      ],
      ['table=todos&offset=-1', { method: 'DELETE' }, 404],
    ];
    for (const [query, init, status] of cases) {
      const answer = await ask(query, ada, init);
      expect([query, init.method ?? 'GET', answer.status]).toEqual([query, init.method ?? 'GET', status]);
      if (status !== 404) expectSafe(answer, 'ada', query);
    }
  });
});
