import { createSyncClient, shapeHeadersOf, type SyncClientOptions } from './sync-client';

const api = { authorization: 'Bearer for-the-api' };
const of = (options: Omit<SyncClientOptions, 'headers'>) => shapeHeadersOf({ headers: api, ...options });

describe('the headers live models send with shape requests', () => {
  it("are the API's on the API's own origin: its /v1/shape route, or a shapeUrl there", () => {
    expect(of({ baseUrl: 'https://api.example.com/v1' })).toBe(api);
    expect(of({ baseUrl: 'https://api.example.com/v1', shapeUrl: 'https://api.example.com/electric/v1/shape' })).toBe(
      api,
    );
    expect(of({ baseUrl: '/api', shapeUrl: '/electric/v1/shape' })).toBe(api);
  });

  it('are none on another origin unless shapeHeaders says which', () => {
    expect(
      of({ baseUrl: 'https://api.example.com', shapeUrl: 'https://electric.example.com/v1/shape' }),
    ).toBeUndefined();
    expect(of({ baseUrl: 'https://api.example.com', shapeUrl: 'http://api.example.com/v1/shape' })).toBeUndefined(); // another scheme
    expect(
      of({ baseUrl: 'https://api.example.com', shapeUrl: 'https://api.example.com:8443/v1/shape' }),
    ).toBeUndefined(); // another port
    expect(
      of({ baseUrl: 'https://api.example.com', shapeUrl: 'https://api.example.com.evil.test/v1/shape' }),
    ).toBeUndefined();
    const shapes = { authorization: 'Bearer for-shapes' };
    expect(
      of({
        baseUrl: 'https://api.example.com',
        shapeUrl: 'https://electric.example.com/v1/shape',
        shapeHeaders: shapes,
      }),
    ).toBe(shapes);
    expect(of({ baseUrl: 'https://api.example.com', shapeHeaders: {} })).toEqual({});
  });
});

describe('requests a server cannot turn against the app', () => {
  let server: import('node:http').Server;
  let url: string;
  const hits: string[] = [];
  beforeAll(async () => {
    const { createServer } = await import('node:http');
    server = createServer((request, answer) => {
      hits.push(request.url ?? '');
      if (request.url === '/huge') {
        // 5 MB, chunked (no content-length): only counting can stop it
        answer.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        for (let i = 0; i < 80; i++) answer.write(chunk);
        answer.end();
      } else if (request.url === '/declared') {
        answer.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) });
        answer.write('[');
      } else answer.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));

  it('stops reading an answer past maxResponseBytes, declared or not, with a clear error', async () => {
    const client = createSyncClient({ baseUrl: url, maxResponseBytes: 1024 * 1024 });
    await expect(client.request({ method: 'GET', path: '/huge' })).rejects.toMatchObject({
      kind: 'http',
      message: expect.stringMatching(/over 1048576 bytes/),
    });
    await expect(client.request({ method: 'GET', path: '/declared' })).rejects.toMatchObject({
      message: expect.stringMatching(/maxResponseBytes/),
    });
    await expect(client.request({ method: 'GET', path: '/small' })).resolves.toEqual({ ok: true });
  });

  it('never lets a path parameter change the route: ".." is refused before any request', async () => {
    const client = createSyncClient({ baseUrl: url });
    const before = hits.length;
    await expect(
      client.request({ method: 'GET', path: '/todos/{id}', pathParams: { id: '..' } }),
    ).rejects.toMatchObject({ kind: 'validation' });
    expect(hits.length).toBe(before);
    await client.request({ method: 'GET', path: '/todos/{id}', pathParams: { id: 'a/../b' } });
    expect(hits.at(-1)).toBe('/todos/a%2F..%2Fb');
  });
});
