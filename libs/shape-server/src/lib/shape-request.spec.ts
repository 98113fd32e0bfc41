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
      offset: { kind: 'log', after: 12n },
      handle: 'h',
      live: true,
      liveSse: false,
      where: 'status=$1',
      params: ['done'],
      columns: ['id', 'Title', 'status'],
      replica: 'default',
      log: 'full',
      subset: undefined,
    });
    expect(parse('table=t&offset=0_3&handle=h').offset).toEqual({ kind: 'chunk', after: 3 });
    expect(parse('table=t&offset=0_inf&handle=h').offset).toEqual({ kind: 'log', after: 'snapshot' });
    expect(parse('table=t&offset=5_0&handle=h&live=0&live_sse').liveSse).toBe(true);
    expect(parse('table=Todos&offset=-1')).toMatchObject({
      table: { table: 'todos' },
      offset: { kind: 'initial' },
      live: false,
      params: [],
    });
    expect(parse('table="Mixed.Case"&offset=now').table).toEqual({ table: 'Mixed.Case' });
  });

  it('reads a subset from the query (GET) or from a JSON body (POST)', () => {
    expect(
      parse(
        'table=t&offset=now&subset__where=a%20%3D%20%241&subset__params={"1":"x"}&subset__limit=5&subset__order_by=a',
      ).subset,
    ).toEqual({ where: 'a = $1', params: ['x'], orderBy: 'a', limit: 5, offset: undefined });
    expect(
      parseShapeRequest(new URLSearchParams('table=t&offset=now'), {
        where: 'a > $1',
        params: { 1: 3 },
        order_by: 'a DESC',
        offset: 2,
      }).subset,
    ).toEqual({ where: 'a > $1', params: ['3'], orderBy: 'a DESC', limit: undefined, offset: 2 });
    expect(() => parseShapeRequest(new URLSearchParams('table=t&offset=now'), [1])).toThrow(/JSON object/);
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
    ['table=todos&offset=-1&replica=half', /replica: "half" is not one of default, full/],
    ['table=todos&offset=-1&log=some', /log: "some" is not one of full, changes_only/],
    ['table=todos&offset=-1&live=true', /live: can't be true when offset == -1/],
    ['table=todos&offset=now&live=true', /can't be true when offset is 'now'/],
    ['table=todos&offset=1_0&handle=h&live_sse=true', /unless live is also true/],
    ['table=todos&offset=-1&subset__limit=10', /order_by: required when limit or offset/],
    ['table=todos&offset=-1&subset__params=nope', /subset__params: not JSON/],
    ['table=todos&offset=-1&subset__limit=-1&subset__order_by=id', /whole number/],
  ])('refuses %s', (query, message) => {
    expect(() => parse(query)).toThrow(BadRequest);
    expect(() => parse(query)).toThrow(message);
  });
});
