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
import { freePort, signUp, startTestServer, type TestServer, type TestSession } from '../src/testing';
import { apiClient } from './api-client';

/**
 * Live mode's read path of the example API — the shape proxy in front of the development shape
 * server — read with the real @electric-sql/client as a signed-in user: snapshot, live changes with
 * the writing transaction's txid, the user's rows only (moving in and out with memberships),
 * columns, subsets, 409 must-refetch after a log reset, and a server restart mid-stream.
 * (`shape-attacks.spec.ts` tries what a client must not get.)
 */
let server: TestServer;
const api = apiClient(
  () => server.url,
  () => server.staff.headers,
);

/** Every message a stream delivers to `who` (staff by default), and the rows it adds up to (as the client parsed them). */
function follow(params: Record<string, unknown>, who: TestSession = server.staff) {
  const aborter = new AbortController();
  const stream = new ShapeStream<Row>({
    url: `${server.url}/v1/shape`,
    params: params as never,
    headers: who.headers,
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

/** A user of their own, with a project of their own: the todos they sync are that project's. */
async function newOwner(): Promise<{ user: TestSession; project: { id: string } }> {
  const user = await signUp(server.url, 'Owner');
  return { user, project: await api.newProject(user.userId) };
}

describe('live mode behind the shape proxy', () => {
  beforeAll(async () => {
    server = await startTestServer({ shapeResetRoute: true });
  });
  afterAll(() => server?.close(), 120_000);

  it('sends a snapshot, then every change with its txid, values parsed by type', async () => {
    const { user, project } = await newOwner();
    const before = todo(project.id, { title: 'Before', due_at: '2026-03-04T05:06:07.000Z' });
    const beforeWrite = await api.call('POST', '/todos', before);
    expect(beforeWrite.status).toBe(201);
    const shape = follow({ table: 'todos' }, user);
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
      }),
    ]);
    // the column the spec excludes is never sent, asked for or not
    expect(Object.keys(shape.values()[0])).not.toContain('internal_notes');

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

  it("syncs each user's rows only; rows move in and out as memberships change, live", async () => {
    const ada = await newOwner();
    const bob = await newOwner();
    await api.call('POST', '/todos', todo(ada.project.id, { title: 'ada 1' }));
    await api.call('POST', '/todos', todo(bob.project.id, { title: 'bob 1' }));
    const adaShape = follow({ table: 'todos', columns: ['id', 'title', 'status'] }, ada.user);
    const bobShape = follow({ table: 'todos' }, bob.user);
    const titles = (shape: typeof adaShape) =>
      shape
        .values()
        .map((r) => r['title'])
        .sort();
    try {
      await adaShape.until(() => adaShape.upToDate() > 0, "ada's snapshot");
      await bobShape.until(() => bobShape.upToDate() > 0, "bob's snapshot");
      expect(titles(adaShape)).toEqual(['ada 1']);
      expect(Object.keys(adaShape.values()[0]).sort()).toEqual(['id', 'status', 'title']);
      expect(titles(bobShape)).toEqual(['bob 1']);
      // bob adds ada to his project: its todos move into ada's shape, live
      const asBob = apiClient(
        () => server.url,
        () => bob.user.headers,
      ).call;
      expect((await asBob('POST', `/projects/${bob.project.id}/members`, { user_id: ada.user.userId })).status).toBe(
        201,
      );
      await adaShape.until(() => titles(adaShape).join() === 'ada 1,bob 1', "bob's todo moving in");
      // a todo written in bob's project now reaches both
      await asBob('POST', '/todos', todo(bob.project.id, { title: 'bob 2' }));
      await adaShape.until(() => titles(adaShape).includes('bob 2'), 'the new todo for ada');
      await bobShape.until(() => titles(bobShape).includes('bob 2'), 'the new todo for bob');
      // and out again when bob removes ada
      expect((await asBob('DELETE', `/projects/${bob.project.id}/members/${ada.user.userId}`)).status).toBe(204);
      await adaShape.until(() => titles(adaShape).join() === 'ada 1', "bob's todos moving out");
      expect(titles(bobShape)).toEqual(['bob 1', 'bob 2']);
    } finally {
      adaShape.stop();
      bobShape.stop();
    }
  });

  it('answers subset snapshots by GET and by POST behind the API, as on-demand sync asks for them', async () => {
    const { user, project } = await newOwner();
    for (let i = 0; i < 4; i++) await api.call('POST', '/todos', todo(project.id, { title: `S${i}`, priority: i }));
    for (const subsetMethod of ['GET', 'POST'] as const) {
      const aborter = new AbortController();
      const stream = new ShapeStream<Row>({
        url: `${server.url}/v1/shape`,
        params: { table: 'todos' },
        headers: user.headers,
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
    const { user, project } = await newOwner();
    for (let i = 0; i < 3; i++) await api.call('POST', '/todos', todo(project.id, { title: `T${i}` }));
    const shape = follow({ table: 'todos' }, user);
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

describe('live mode across a restart of the API', () => {
  let dataDir: string;
  afterAll(() => dataDir && rmSync(dataDir, { recursive: true, force: true }));

  it('resumes a stream from its offset: nothing lost, nothing twice', async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'sp-shapes-'));
    const port = await freePort();
    server = await startTestServer({ port, dataDir });
    const { user, project } = await newOwner();
    await api.call('POST', '/todos', todo(project.id, { title: 'one' }));
    const shape = follow({ table: 'todos' }, user);
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
