import { setupServer } from 'msw/node';
import { fakeRows, type FakeModel } from './fake-data';
import { mockResource, type MockPaging } from './mock-resource';

const fake: FakeModel = {
  key: 'id',
  row: {
    type: 'object',
    required: ['id', 'team'],
    properties: { id: { type: 'integer', minimum: 1 }, team: { enum: ['red', 'blue'] } },
  },
  definitions: {},
};
type Row = { id: number; team: string };
const rows: Row[] = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, team: i % 2 ? 'blue' : 'red' }));

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function serve(paging?: MockPaging, baseUrl?: string) {
  const mock = mockResource<Row>(
    {
      fake,
      routes: {
        list: {
          method: 'GET',
          path: '/teams/{team_id}/rows',
          status: 200,
          itemsPath: ['data'],
          wrapper: { total: 0, next: 'x' },
          filters: ['team'],
          paging,
        },
        get: { method: 'GET', path: '/rows/{row.id}', status: 200, idParam: 'row.id' },
        create: { method: 'POST', path: '/rows', status: 201 },
      },
    },
    { rows, pageSize: 3, baseUrl },
  );
  server.use(...mock.handlers);
  return mock;
}
const get = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
};

describe('mockResource', () => {
  it('filters lists on field parameters and keeps the wrapper, with the total counted', async () => {
    serve();
    const { body } = await get('http://api.test/teams/1/rows?team=blue');
    expect(body).toEqual({ total: 3, next: 'x', data: rows.filter((r) => r.team === 'blue') });
  });

  it('pages by offset and limit, by page number, and by next cursor or last key', async () => {
    serve({ kind: 'offset', param: 'offset', limitParam: 'limit', first: 0 });
    expect((await get('http://api.test/teams/1/rows?offset=2&limit=2')).body.data.map((r: Row) => r.id)).toEqual([
      3, 4,
    ]);
    server.resetHandlers();
    serve({ kind: 'page', param: 'page', first: 1 });
    expect((await get('http://api.test/teams/1/rows?page=3')).body.data.map((r: Row) => r.id)).toEqual([7]);
    server.resetHandlers();
    serve({ kind: 'cursor', param: 'cursor', nextField: 'next' });
    const first = (await get('http://api.test/teams/1/rows')).body;
    const last = (await get(`http://api.test/teams/1/rows?cursor=${first.next}&limit=3`)).body;
    const end = (await get(`http://api.test/teams/1/rows?cursor=${last.next}`)).body;
    expect([first.data.length, last.data.length, end.data.length, end.next]).toEqual([3, 3, 1, null]);
    server.resetHandlers();
    serve({ kind: 'cursor', param: 'after', moreField: 'has_more' });
    const after = (await get('http://api.test/teams/1/rows?after=6')).body;
    expect(after).toMatchObject({ data: [{ id: 7 }], has_more: false });
  });

  it('reads by key from any path parameter name, 404 otherwise, and fills in what a create leaves out', async () => {
    const mock = serve();
    expect(await get('http://api.test/rows/4')).toEqual({ status: 200, body: rows[3] });
    expect((await get('http://api.test/rows/99')).status).toBe(404);
    const created = await fetch('http://api.test/rows', {
      method: 'POST',
      body: JSON.stringify({ team: 'red' }),
      headers: { 'content-type': 'application/json' },
    });
    const row = (await created.json()) as Row;
    expect(created.status).toBe(201);
    expect(row.team).toBe('red');
    expect(rows.map((r) => r.id)).not.toContain(row.id);
    expect(mock.rows()).toHaveLength(8);
  });

  it('answers only under its base URL', async () => {
    serve(undefined, 'http://api.test/v2');
    expect((await get('http://api.test/v2/rows/1')).status).toBe(200);
    await expect(fetch('http://api.test/rows/1')).rejects.toThrow();
  });

  it('builds distinct fake keys for a table', () => {
    expect(new Set(fakeRows<Row>(fake, 50).map((r) => r.id)).size).toBe(50);
  });
});
