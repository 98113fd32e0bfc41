import { BadRequest, parseShapeRequest } from './shape-request';

const parse = (query: string) => parseShapeRequest(new URLSearchParams(query));

describe("Electric's shape request parameters", () => {
  it('reads table, offset, handle, live, where with numbered params, and columns', () => {
    expect(
      parse(
        `table=app.todos&offset=12_0&handle=h&live=true&where=status%3D%241&params[1]=done&columns=id,"Title",status`,
      ),
    ).toEqual({
      table: { schema: 'app', table: 'todos' },
      offset: { kind: 'after', id: 12n },
      handle: 'h',
      live: true,
      where: 'status=$1',
      params: ['done'],
      columns: ['id', 'Title', 'status'],
    });
    expect(parse('table=Todos&offset=-1')).toMatchObject({
      table: { table: 'todos' },
      offset: { kind: 'initial' },
      live: false,
      params: [],
    });
    expect(parse('table="Mixed.Case"&offset=now').table).toEqual({ table: 'Mixed.Case' });
  });

  it.each([
    ['offset=-1', /table parameter is required/],
    ['table=todos', /offset parameter is required/],
    ['table=todos&offset=12_0', /handle: required/],
    ['table=todos&offset=abc', /not an offset/],
    ['table=a.b.c&offset=-1', /not a table name/],
    ['table=todos&offset=-1&params[2]=x', /\$1 is missing/],
    ['table=todos&offset=-1&columns=id;drop', /cannot read/],
    [`table=todos&offset=-1&where=${'x'.repeat(4097)}`, /longer than 4096/],
    [`table=todos&offset=-1&${Array.from({ length: 101 }, (_, i) => `params[${i + 1}]=x`).join('&')}`, /more than 100/],
    [`table=todos&offset=-1&params[1]=${'x'.repeat(4097)}`, /longer than 4096/],
  ])('refuses %s', (query, message) => {
    expect(() => parse(query)).toThrow(BadRequest);
    expect(() => parse(query)).toThrow(message);
  });
});
