import {
  isChangeMessage,
  isVisibleInSnapshot,
  ShapeStream,
  type Message,
  type PostgresSnapshot,
  type Row,
} from '@electric-sql/client';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startTestServer, type TestServer } from '../src/testing';
import { apiClient } from './api-client';

/**
 * The development shape server, mounted at /v1/shape in the example API, read with the real
 * @electric-sql/client: snapshot, live changes with the writing transaction's txid, where and
 * columns, 409 must-refetch after a log reset, and a server restart mid-stream.
 */
let server: TestServer;
const api = apiClient(
  () => server.url,
  () => server.staff.headers,
);

/** Every message a stream delivers, and the rows it adds up to (as the client parsed them). */
function follow(params: Record<string, unknown>) {
  const aborter = new AbortController();
  const stream = new ShapeStream<Row>({
    url: `${server.url}/v1/shape`,
    params: params as never,
    headers: server.staff.headers,
    signal: aborter.signal,
    backoffOptions: { initialDelay: 50, maxDelay: 500, multiplier: 2, maxRetries: Infinity },
  });
  const rows = new Map<string, Row>();
  const messages: Message<Row>[] = [];
  let upToDate = 0;
  const unsubscribe = stream.subscribe((batch) => {
    for (const message of batch) {
      messages.push(message);
      if (isChangeMessage(message)) {
        if (message.headers.operation === 'delete') rows.delete(message.key);
        else rows.set(message.key, { ...rows.get(message.key), ...message.value });
      } else if (message.headers.control === 'up-to-date') upToDate++;
      else if (message.headers.control === 'must-refetch') rows.clear();
    }
  });
  return {
    stream,
    rows,
    messages,
    values: () => [...rows.values()],
    until: async (check: () => boolean, what: string, ms = 15_000) => {
      const started = Date.now();
      while (!check()) {
        if (Date.now() - started > ms)
          throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify([...rows.values()])}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    upToDate: () => upToDate,
    stop: () => {
      unsubscribe();
      aborter.abort();
    },
  };
}

const todo = (projectId: string, extra: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  project_id: projectId,
  title: 'Sync me',
  status: 'todo',
  priority: 2,
  due_at: null,
  ...extra,
});

describe('the development shape server', () => {
  beforeAll(async () => {
    server = await startTestServer({ shapeResetRoute: true });
  });
  afterAll(() => server?.close(), 120_000);

  it('sends a snapshot, then every change with its txid, values parsed by type', async () => {
    const project = await api.newProject((await api.newUser()).id);
    const before = todo(project.id, { title: 'Before', due_at: '2026-03-04T05:06:07.000Z' });
    const beforeWrite = await api.call('POST', '/todos', before);
    expect(beforeWrite.status).toBe(201);
    const shape = follow({ table: 'todos', where: 'project_id = $1', params: [project.id] });
    await shape.until(() => shape.upToDate() > 0, 'the snapshot');
    // the snapshot says which transactions it holds: a write's txid that arrived in it is matched
    const snapshotEnd = shape.messages.find((m) => !isChangeMessage(m) && m.headers.control === 'snapshot-end');
    expect(snapshotEnd).toBeDefined();
    const visible = snapshotEnd!.headers as unknown as PostgresSnapshot;
    expect(isVisibleInSnapshot(Number(beforeWrite.txid), visible)).toBe(true);
    expect(isVisibleInSnapshot(Number(visible.xmax) + 1, visible)).toBe(false);
    expect(shape.values()).toEqual([
      expect.objectContaining({
        id: before.id,
        title: 'Before',
        priority: 2,
        due_at: '2026-03-04 05:06:07+00',
        internal_notes: null,
      }),
    ]);

    const created = todo(project.id);
    const write = await api.call('POST', '/todos', created);
    await shape.until(() => shape.rows.size === 2, 'the insert');
    const insert = shape.messages.find((m) => isChangeMessage(m) && m.value['id'] === created.id);
    expect(insert && isChangeMessage(insert) && insert.headers.txids).toEqual([Number(write.txid)]);

    const patched = await api.call('PATCH', `/todos/${created.id}`, { title: 'Renamed', priority: 5 });
    await shape.until(() => shape.values().some((r) => r['title'] === 'Renamed'), 'the update');
    const update = shape.messages.find((m) => isChangeMessage(m) && m.headers.operation === 'update');
    expect(update && isChangeMessage(update) && update.headers.txids).toEqual([Number(patched.txid)]);
    expect(shape.values().find((r) => r['id'] === created.id)).toMatchObject({ priority: 5 });

    await api.call('DELETE', `/todos/${created.id}`);
    await shape.until(() => shape.rows.size === 1, 'the delete');
    shape.stop();
  });

  it('applies where and columns: rows moving in and out of the shape come and go', async () => {
    const project = await api.newProject((await api.newUser()).id);
    const row = todo(project.id);
    await api.call('POST', '/todos', row);
    const shape = follow({
      table: 'todos',
      where: `project_id = $1 AND status <> 'done'`,
      params: [project.id],
      columns: ['id', 'title', 'status'],
    });
    await shape.until(() => shape.rows.size === 1, 'the snapshot');
    expect(Object.keys(shape.values()[0]).sort()).toEqual(['id', 'status', 'title']);
    await api.call('PATCH', `/todos/${row.id}`, { status: 'done' });
    await shape.until(() => shape.rows.size === 0, 'the row leaving the shape');
    await api.call('PATCH', `/todos/${row.id}`, { status: 'doing' });
    await shape.until(() => shape.rows.size === 1, 'the row coming back');
    shape.stop();
  });

  it('refuses unknown tables and unsafe where clauses with 400', async () => {
    const bad = async (query: string) => {
      const response = await fetch(`${server.url}/v1/shape?${query}`, { headers: server.staff.headers });
      return { status: response.status, body: (await response.json()) as { message: string } };
    };
    expect(await bad('table=nope&offset=-1')).toMatchObject({
      status: 400,
      body: { message: 'Invalid request', errors: { table: [expect.stringContaining('does not exist')] } },
    });
    expect(await bad(`table=todos&offset=-1&where=${encodeURIComponent('1=1; drop table todos')}`)).toMatchObject({
      status: 400,
    });
    expect(await bad(`table=todos&offset=-1&where=${encodeURIComponent('pg_sleep(1) is null')}`)).toMatchObject({
      status: 400,
    });
  });

  it('serves only live tables, binds where parameters, and caps request sizes', async () => {
    const status = async (query: string) =>
      (await fetch(`${server.url}/v1/shape?${query}`, { headers: server.staff.headers })).status;
    // tables that exist but are not live: sessions and password hashes, the change log (it holds excluded columns), migrations, idempotency records
    for (const table of [
      'sessions',
      'passwords',
      'project_members',
      'idempotency_keys',
      'schema_migrations',
      'sync_patterns.sync_changes',
      'sync_patterns.sync_shapes',
      'sync_patterns.sync_shape_chunks',
      'pg_catalog.pg_authid',
    ]) {
      const response = await fetch(`${server.url}/v1/shape?table=${encodeURIComponent(table)}&offset=-1`, {
        headers: server.staff.headers,
      });
      const body = (await response.json()) as { errors: { table: string[] } };
      expect([table, response.status, body.errors.table[0]]).toEqual([
        table,
        400,
        expect.stringContaining('does not exist or is not served'),
      ]);
    }
    // a parameter is a value, never SQL: the injection finds no row and the table is still there
    const project = await api.newProject((await api.newUser()).id);
    await api.call('POST', '/todos', todo(project.id, { title: 'safe' }));
    const injected = follow({ table: 'todos', where: 'title = $1', params: [`x' OR '1'='1'; DROP TABLE todos; --`] });
    await injected.until(() => injected.upToDate() > 0, 'the snapshot');
    expect(injected.rows.size).toBe(0);
    injected.stop();
    expect((await api.call('GET', `/todos?project_id=${project.id}`)).body).toHaveLength(1);
    // a where clause that tries to leave its parentheses
    expect(await status(`table=todos&offset=-1&where=${encodeURIComponent(`true) OR (true`)}`)).toBe(400);
    expect(await status(`table=todos&offset=-1&where=${encodeURIComponent('x'.repeat(5000))}`)).toBe(400);
    expect(await status(`table=todos&offset=-1&where=${'x'.repeat(20_000)}`)).toBe(431);
  });

  it('answers subset snapshots by GET and by POST behind the API, as on-demand sync asks for them', async () => {
    const project = await api.newProject((await api.newUser()).id);
    for (let i = 0; i < 4; i++) await api.call('POST', '/todos', todo(project.id, { title: `S${i}`, priority: i }));
    for (const subsetMethod of ['GET', 'POST'] as const) {
      const aborter = new AbortController();
      const stream = new ShapeStream<Row>({
        url: `${server.url}/v1/shape`,
        params: { table: 'todos' },
        headers: server.staff.headers,
        log: 'changes_only',
        offset: 'now',
        subsetMethod,
        signal: aborter.signal,
      });
      stream.subscribe(() => undefined);
      const { data } = await stream.requestSnapshot({
        where: 'project_id = $1 AND priority >= $2',
        params: { '1': project.id, '2': '2' },
        orderBy: 'priority DESC',
        limit: 10,
      });
      expect(data.map((m) => m.value['title'])).toEqual(['S3', 'S2']);
      aborter.abort();
    }
  });

  it('answers 409 must-refetch after a log reset; the client refetches and keeps every row once', async () => {
    const project = await api.newProject((await api.newUser()).id);
    for (let i = 0; i < 3; i++) await api.call('POST', '/todos', todo(project.id, { title: `T${i}` }));
    const shape = follow({ table: 'todos', where: 'project_id = $1', params: [project.id] });
    await shape.until(() => shape.rows.size === 3, 'the snapshot');
    const handle = shape.stream.shapeHandle;
    expect((await api.call('POST', '/v1/shape/reset')).status).toBe(204);
    await api.call('POST', '/todos', todo(project.id, { title: 'after reset' }));
    await shape.until(() => shape.rows.size === 4, 'the refetched shape');
    expect(shape.messages.some((m) => !isChangeMessage(m) && m.headers.control === 'must-refetch')).toBe(true);
    expect(shape.stream.shapeHandle).not.toBe(handle);
    shape.stop();
  });
});

describe('the development shape server across a restart', () => {
  let dataDir: string;
  afterAll(() => dataDir && rmSync(dataDir, { recursive: true, force: true }));

  it('resumes a stream from its offset: nothing lost, nothing twice', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sp-shapes-'));
    const port = await freePort();
    server = await startTestServer({ port, dataDir });
    const project = await api.newProject((await api.newUser()).id);
    await api.call('POST', '/todos', todo(project.id, { title: 'one' }));
    const shape = follow({ table: 'todos', where: 'project_id = $1', params: [project.id] });
    await shape.until(() => shape.rows.size === 1, 'the snapshot');
    const handle = shape.stream.shapeHandle;

    const data = server.data;
    await server.close({ keepData: true });
    server = await startTestServer({ port, data });
    await api.call('POST', '/todos', todo(project.id, { title: 'two' }));
    await shape.until(() => shape.rows.size === 2, 'the change after the restart', 90_000);

    const inserts = shape.messages.filter((m) => isChangeMessage(m) && m.headers.operation === 'insert');
    expect(inserts.map((m) => isChangeMessage(m) && m.value['title'])).toEqual(['one', 'two']);
    expect(shape.stream.shapeHandle).toBe(handle);
    shape.stop();
    await server.close();
  }, 240_000);
});
