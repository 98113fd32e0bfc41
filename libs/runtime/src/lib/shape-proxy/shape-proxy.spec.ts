import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Hono } from 'hono';
import { createShapeProxy, ShapeProxyError, type ShapeProxyOptions } from './shape-proxy';
import { toNodeHandler } from './node-handler';
import type { ShapePolicy } from './shape-policy';

/**
 * The proxy against a stand-in for Electric that records what reaches it: what a client may and
 * may not put in a shape request, what is pinned, and how the answer comes back. (The example API's
 * suite runs it in front of the development shape server and the real Electric client.)
 */
const policy = {
  todos: {
    model: 'Todo',
    columns: ['id', 'project_id', 'title', 'Done'],
    where: 'project_id IN (SELECT project_id FROM memberships WHERE user_id = $1) AND org = $2',
    params: ['user', 'org'],
  },
  labels: { columns: ['id', 'name'] },
} as const satisfies ShapePolicy;

interface Seen {
  url: URL;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let electric: Server;
let electricUrl: string;
const seen: Seen[] = [];
/** What the stand-in answers next (default: an up-to-date shape answer). */
let answer: (request: IncomingMessage, response: import('node:http').ServerResponse) => void;
const upToDate = (_: IncomingMessage, response: import('node:http').ServerResponse) => {
  response.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'public, max-age=604800, s-maxage=3600',
    'electric-handle': 'h-1',
    'electric-offset': '0_0',
    'electric-schema': '{"id":{"type":"text"}}',
    'access-control-allow-origin': '*',
  });
  response.end('[{"headers":{"control":"up-to-date"}}]');
};

beforeAll(async () => {
  electric = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      seen.push({
        url: new URL(request.url!, 'http://electric'),
        method: request.method!,
        headers: request.headers,
        body,
      });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => electric.listen(0, '127.0.0.1', resolve));
  electricUrl = `http://127.0.0.1:${(electric.address() as AddressInfo).port}/v1/shape`;
});
afterAll(() => {
  electric.closeAllConnections();
  return new Promise((resolve) => electric.close(resolve));
});
beforeEach(() => {
  seen.length = 0;
  answer = upToDate;
});

interface Principal {
  user: string;
  org: string;
}
const users: Record<string, Principal> = {
  'token-ada': { user: 'ada-id', org: 'acme' },
  'token-eve': { user: "eve') OR (1=1", org: 'acme' },
};
const proxy = (extra: Partial<ShapeProxyOptions<Principal>> = {}) =>
  createShapeProxy<Principal>({
    policy,
    electricUrl,
    secret: 'electric-secret',
    authenticate: (request) => users[request.headers.get('authorization')?.replace('Bearer ', '') ?? ''],
    corsOrigins: ['http://app.test'],
    onError: () => undefined,
    ...extra,
  });
const ask = (query: string, init: RequestInit & { token?: string } = {}) => {
  const { token = 'token-ada', ...rest } = init;
  return proxy()(
    new Request(`http://api.test/v1/shape?${query}`, {
      ...rest,
      headers: { authorization: `Bearer ${token}`, origin: 'http://app.test', ...(rest.headers as object) },
    }),
  );
};
const errorOf = async (response: Response) => ({ status: response.status, body: await response.json() });

describe('the shape proxy pins what each user reads', () => {
  it("pins columns, rows and the where's parameters from the principal, and adds Electric's secret", async () => {
    const response = await ask('table=todos&offset=-1');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('[{"headers":{"control":"up-to-date"}}]');
    const { searchParams } = seen[0].url;
    expect(Object.fromEntries(searchParams)).toEqual({
      table: 'todos',
      columns: 'id,project_id,title,"Done"',
      where: policy.todos.where,
      'params[1]': 'ada-id',
      'params[2]': 'acme',
      offset: '-1',
      secret: 'electric-secret',
    });
    // the client's token stays with the API: Electric gets the secret instead
    expect(seen[0].headers.authorization).toBeUndefined();
  });

  it('binds a value as a parameter, never as SQL', async () => {
    await ask('table=todos&offset=-1', { token: 'token-eve' });
    expect(seen[0].url.searchParams.get('where')).toBe(policy.todos.where);
    expect(seen[0].url.searchParams.get('params[1]')).toBe("eve') OR (1=1");
  });

  it('refuses strangers, tables outside the policy and tables the app does not allow', async () => {
    expect(await errorOf(await ask('table=todos&offset=-1', { token: 'nobody' }))).toEqual({
      status: 401,
      body: { message: 'Sign in first: shapes are read by signed-in users only' },
    });
    for (const table of ['users', 'sync_patterns.sync_changes', '__proto__', 'constructor', 'TODOS'])
      expect((await ask(`table=${encodeURIComponent(table)}&offset=-1`)).status).toBe(403);
    expect((await errorOf(await ask('offset=-1'))).status).toBe(400);
    const onlyLabels = proxy({ allow: (_, table) => table === 'labels' });
    const refused = await onlyLabels(
      new Request('http://api.test/v1/shape?table=todos&offset=-1', { headers: { authorization: 'Bearer token-ada' } }),
    );
    expect(refused.status).toBe(403);
    expect(seen).toEqual([]);
  });

  it('keeps the columns a client asks for when each is served, and refuses the others', async () => {
    await ask('table=todos&offset=-1&columns=id,"Done"');
    expect(seen[0].url.searchParams.get('columns')).toBe('id,"Done"');
    for (const columns of ['id,internal_notes', 'id,"done"', 'id,DONE', 'id,"internal_notes"'])
      expect(await errorOf(await ask(`table=todos&offset=-1&columns=${encodeURIComponent(columns)}`))).toEqual({
        status: 403,
        body: { message: expect.stringMatching(/^columns: .* not served to clients$/) },
      });
    expect((await ask('table=todos&offset=-1&columns=id;drop')).status).toBe(400);
    expect(seen).toHaveLength(1);
  });

  it("refuses a client's where and parameters, and parameters the protocol does not have", async () => {
    for (const query of ['where=1=1', 'params[1]=x', 'params=%7B%7D', 'secret=guess', 'api_secret=x', 'table=labels'])
      expect(await errorOf(await ask(`table=todos&offset=-1&${query}`))).toEqual({
        status: 400,
        body: { message: 'Invalid request', errors: { [query.split('=')[0]]: [expect.any(String)] } },
      });
    expect(seen).toEqual([]);
  });

  it('passes the protocol through: offsets, handles, live, cursors, replica, log', async () => {
    await ask('table=todos&offset=12_0&handle=h-1&live=true&cursor=7&replica=full&log=changes_only&cache-buster=9');
    expect(Object.fromEntries(seen[0].url.searchParams)).toMatchObject({
      offset: '12_0',
      handle: 'h-1',
      live: 'true',
      cursor: '7',
      replica: 'full',
      log: 'changes_only',
      'cache-buster': '9',
    });
  });

  it("lets a subset filter and order on the shape's served columns only", async () => {
    await ask(
      `table=todos&offset=-1&subset__where=${encodeURIComponent('title ILIKE $1 AND "Done" = true')}&subset__params=${encodeURIComponent('{"1":"%a%"}')}&subset__order_by=title%20DESC&subset__limit=10`,
    );
    expect(seen[0].url.searchParams.get('subset__where')).toBe('title ILIKE $1 AND "Done" = true');
    for (const where of [
      "internal_notes LIKE 'a%'",
      '"internal_notes" IS NULL',
      'id IN (SELECT id FROM todos)',
      'todos.internal_notes = 1',
      'pg_read_file(title) = 1',
    ])
      expect((await ask(`table=todos&offset=-1&subset__where=${encodeURIComponent(where)}`)).status).toBe(403);
    expect((await ask('table=todos&offset=-1&subset__order_by=internal_notes')).status).toBe(403);
    // the structured forms are not checked, so they do not pass
    await ask(
      `table=todos&offset=-1&subset__where_expr=${encodeURIComponent('{"type":"ref","path":["internal_notes"]}')}`,
    );
    expect(seen[1].url.searchParams.has('subset__where_expr')).toBe(false);
  });

  it("checks a subset's POST body the same way", async () => {
    const post = (body: string) =>
      ask('table=todos&offset=now&log=changes_only', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      });
    expect((await post('{"where":"title = $1","params":{"1":"a"},"limit":5,"order_by":"title"}')).status).toBe(200);
    expect(seen[0].method).toBe('POST');
    expect(JSON.parse(seen[0].body)).toEqual({
      where: 'title = $1',
      params: { '1': 'a' },
      limit: 5,
      order_by: 'title',
    });
    expect((await post('{"where":"internal_notes IS NOT NULL"}')).status).toBe(403);
    expect((await post('{"table":"users"}')).status).toBe(400);
    expect((await post('[1]')).status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
    expect((await post(`{"where":"${'x'.repeat(70_000)}"}`)).status).toBe(413);
    expect(seen).toHaveLength(1);
  });

  it("makes answers private to the user, exposes Electric's headers to the app's origin only", async () => {
    const response = await ask('table=todos&offset=-1');
    expect(response.headers.get('cache-control')).toBe('private, max-age=604800, s-maxage=3600');
    expect(response.headers.get('vary')).toBe('authorization, cookie, origin');
    expect(response.headers.get('access-control-allow-origin')).toBe('http://app.test');
    expect(response.headers.get('access-control-expose-headers')).toContain('electric-handle');
    expect(response.headers.get('electric-handle')).toBe('h-1');
    const elsewhere = await ask('table=todos&offset=-1', { headers: { origin: 'http://evil.test' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await proxy()(
      new Request('http://api.test/v1/shape', {
        method: 'OPTIONS',
        headers: { origin: 'http://app.test', 'access-control-request-headers': 'authorization' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
  });

  it('answers 502 when Electric cannot be reached, 405 for other methods, and 500 for a principal without a parameter', async () => {
    const down = createShapeProxy<Principal>({
      policy,
      electricUrl: 'http://127.0.0.1:9/v1/shape',
      authenticate: () => users['token-ada'],
      onError: () => undefined,
    });
    expect((await down(new Request('http://api.test/v1/shape?table=todos&offset=-1'))).status).toBe(502);
    expect((await ask('table=todos', { method: 'DELETE' })).status).toBe(405);
    const errors: unknown[] = [];
    const partial = createShapeProxy<{ user: string }>({
      policy,
      electricUrl,
      authenticate: () => ({ user: 'ada-id' }),
      onError: (error) => errors.push(error),
    });
    expect(await errorOf(await partial(new Request('http://api.test/v1/shape?table=todos&offset=-1')))).toEqual({
      status: 500,
      body: { message: 'the shape proxy failed: see the server log' },
    });
    expect(String(errors[0])).toContain('needs $org');
    const custom = createShapeProxy<Principal>({
      policy,
      electricUrl,
      authenticate: () => {
        throw new ShapeProxyError(403, 'this account is locked');
      },
    });
    expect(await errorOf(await custom(new Request('http://api.test/v1/shape?table=todos&offset=-1')))).toEqual({
      status: 403,
      body: { message: 'this account is locked' },
    });
    expect(seen).toEqual([]);
  });
});

describe('the shape proxy in Node servers', () => {
  const serve = async (server: Server) => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => (server.closeAllConnections(), server.close()),
    };
  };
  const read = (base: string, query = 'table=todos&offset=-1', init: RequestInit = {}) =>
    fetch(`${base}/v1/shape?${query}`, { ...init, headers: { authorization: 'Bearer token-ada', ...init.headers } });

  it("Node's http, with the answer streamed and a closed client's request aborted upstream", async () => {
    const handler = toNodeHandler(proxy());
    const server = await serve(createServer((request, response) => void handler(request, response)));
    try {
      const response = await read(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('electric-handle')).toBe('h-1');
      expect(await response.text()).toBe('[{"headers":{"control":"up-to-date"}}]');
      // a live request Electric holds: the client goes away, the upstream request is closed too
      let upstreamClosed!: () => void;
      const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
      answer = (request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.flushHeaders();
        request.socket.on('close', upstreamClosed);
      };
      const aborter = new AbortController();
      const live = await read(server.url, 'table=todos&offset=1_0&handle=h-1&live=true', { signal: aborter.signal });
      expect(live.status).toBe(200);
      aborter.abort();
      await closed;
      // a POST subset through Node's stream of the body
      answer = upToDate;
      const subset = await read(server.url, 'table=todos&offset=now&log=changes_only', {
        method: 'POST',
        body: '{"where":"title = $1","params":{"1":"a"}}',
        headers: { 'content-type': 'application/json' },
      });
      expect(subset.status).toBe(200);
      expect(JSON.parse(seen[seen.length - 1].body)).toEqual({ where: 'title = $1', params: { '1': 'a' } });
    } finally {
      server.close();
    }
  });

  it('Express', async () => {
    const app = express();
    app.all('/v1/shape', toNodeHandler(proxy()));
    const server = await serve(createServer(app));
    try {
      expect((await read(server.url)).status).toBe(200);
      expect((await read(server.url, 'table=todos&offset=-1&columns=internal_notes')).status).toBe(403);
      expect(seen[0].url.searchParams.get('params[1]')).toBe('ada-id');
    } finally {
      server.close();
    }
  });

  it('Hono, with the handler as it is', async () => {
    const handler = proxy();
    const app = new Hono().all('/v1/shape', (c) => handler(c.req.raw));
    const response = await app.request('/v1/shape?table=todos&offset=-1', {
      headers: { authorization: 'Bearer token-ada' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('[{"headers":{"control":"up-to-date"}}]');
    expect(
      (await app.request('/v1/shape?table=users&offset=-1', { headers: { authorization: 'Bearer token-ada' } })).status,
    ).toBe(403);
  });
});
