import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startTestServer, type TestServer } from '../../example-api/src/testing';
import {
  postJson,
  runDevice,
  runPushDevice,
  seedDeviceOwner,
  seedDeviceProject,
  serverProjectNames,
  serverTodos,
  type DeviceRun,
} from './crash/devices';
import type { DevicePlan } from './crash/outbox-device';
import type { PushDevicePlan } from './crash/push-device';

/**
 * The outbox across crashes, with real processes: devices (the committed generated client, a
 * SQLite file each) SIGKILLed at chosen moments against the example API on Postgres, then started
 * again to drain. Invariants: every write made durable is applied once, in order (each todo ends
 * with the last title the device made); the device ends equal to the server; nothing is refused,
 * stranded or left in the outbox.
 */
let server: TestServer;
let dir: string;
let projectId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sp-outbox-crash-'));
  server = await startTestServer();
  projectId = await seedDeviceProject(server.url, server.staff.headers, 'Crash');
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const serverRows = (ids: readonly string[]) => serverTodos(server.url, server.staff.headers, projectId, ids);

let devices = 0;
/** A plan of `count` todos renamed `renames` times each, on a device database of its own. */
function planOf(count: number, renames: number, faults: Partial<DevicePlan> = {}): DevicePlan {
  const device = ++devices;
  const todos = Array.from({ length: count }, (_, i) => ({
    id: crypto.randomUUID(),
    titles: Array.from({ length: renames + 1 }, (_, j) => `d${device} todo ${i} v${j}`),
  }));
  return {
    apiUrl: server.url,
    headers: server.staff.headers,
    dbFile: path.join(dir, `device-${device}.db`),
    projectId,
    todos,
    ...faults,
  };
}

/** Each todo the device made ends with the last title it made; ones it never made are not there. */
function expectedOf(plan: DevicePlan, made: readonly string[]) {
  return plan.todos
    .filter((todo) => made.includes(todo.titles[0]) || todo.existing)
    .map((todo) => ({ id: todo.id, title: [...todo.titles].reverse().find((title) => made.includes(title)) ?? '' }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Starts the device again on its database, without faults, until its outbox is drained. */
async function drain(plan: DevicePlan): Promise<NonNullable<DeviceRun['result']>> {
  const again = await runDevice({
    apiUrl: plan.apiUrl,
    headers: plan.headers,
    dbFile: plan.dbFile,
    projectId: plan.projectId,
    todos: [],
  });
  return again.result!;
}

describe('the outbox when the app is killed (SIGKILL)', () => {
  it.each([
    ['after the first write', 1],
    ['mid-drain, its stream lagging behind its writes', 17],
    ['with every write made, before the stream caught up', 40],
  ])(
    'loses no write: killed %s',
    async (_, killAt) => {
      const plan = planOf(10, 3, { shapeLagMs: 700, pauseAfter: killAt });
      const first = await runDevice(plan, (line) => line === 'paused');
      expect(first.made).toHaveLength(killAt);
      expect(first.killed).toBe(true);
      const result = await drain(plan);
      const expected = expectedOf(plan, first.made);
      expect(expected.length).toBeGreaterThan(0);
      expect(await serverRows(plan.todos.map((t) => t.id))).toEqual(expected);
      expect(result.rows.filter((row) => plan.todos.some((t) => t.id === row.id))).toEqual(expected);
      expect(result).toMatchObject({ refused: [], refusedInStore: 0, pendingWrites: 0 });
    },
    300_000,
  );

  it('replays writes whose answers were lost exactly as first sent: the API answers them again, nothing is refused', async () => {
    // from the 4th write on, the API does each but the device never hears back; then it is killed
    const plan = planOf(3, 2, { hangWritesFrom: 4 });
    const first = await runDevice(plan, (line) => line === 'all made');
    expect(first.made).toHaveLength(9);
    const result = await drain(plan);
    const expected = expectedOf(plan, first.made);
    expect(await serverRows(plan.todos.map((t) => t.id))).toEqual(expected);
    expect(result.rows.filter((row) => plan.todos.some((t) => t.id === row.id))).toEqual(expected);
    expect(result).toMatchObject({ refused: [], refusedInStore: 0, pendingWrites: 0 });
  }, 300_000);

  it('replays a write even when the local row already has its values: none stays stranded, the row shows it', async () => {
    const id = crypto.randomUUID();
    const existing = { id, project_id: projectId, title: 'Before', status: 'todo', priority: 1, due_at: null };
    await postJson(`${server.url}/todos`, existing, server.staff.headers);
    const plan: DevicePlan = {
      ...planOf(0, 0),
      todos: [{ id, titles: ['Renamed offline'], existing: true }],
      writesDown: true,
    };
    const first = await runDevice(plan, (line) => line === 'all made');
    expect(first.made).toEqual(['Renamed offline']);
    // another device makes the same change meanwhile: the restarted device's row already has it
    const patched = await fetch(`${server.url}/todos/${id}`, {
      method: 'PATCH',
      headers: { ...server.staff.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Renamed offline' }),
    });
    expect(patched.status).toBe(200);
    const result = await drain(plan);
    expect(result.rows.filter((row) => row.id === id)).toEqual([{ id, title: 'Renamed offline' }]);
    expect(result).toMatchObject({ refused: [], refusedInStore: 0, pendingWrites: 0 });
  }, 300_000);
});

describe('the push outbox when the app is killed (SIGKILL)', () => {
  /** A plan of `count` projects renamed `renames` times each, for an owner and a device database of their own. */
  async function pushPlanOf(
    count: number,
    renames: number,
    faults: Partial<PushDevicePlan> = {},
  ): Promise<PushDevicePlan> {
    const device = ++devices;
    const ownerId = await seedDeviceOwner(server.url, server.staff.headers, `Push${device}`);
    const projects = Array.from({ length: count }, (_, i) => ({
      names: Array.from({ length: renames + 1 }, (_, j) => `p${device} project ${i} v${j}`),
    }));
    return {
      apiUrl: server.url,
      headers: server.staff.headers,
      dbFile: path.join(dir, `push-device-${device}.db`),
      ownerId,
      projects,
      ...faults,
    };
  }
  /** One project per create the device made, named by the last rename it made. */
  const expectedNames = (plan: PushDevicePlan, made: readonly string[]) =>
    plan.projects
      .filter((p) => made.includes(p.names[0]))
      .map((p) => [...p.names].reverse().find((name) => made.includes(name))!)
      .sort();
  const drainPush = async (plan: PushDevicePlan) =>
    (
      await runPushDevice({
        ...plan,
        projects: [],
        writesDown: false,
        hangWritesFrom: undefined,
        pauseAfter: undefined,
      })
    ).result!;

  it.each([
    [
      'with every write made offline: renames of a row still under its draft key follow the create to the saved key',
      { writesDown: true },
      'all made',
    ],
    ['mid-way, its writes going out', { pauseAfter: 4 }, 'paused'],
    [
      'after answers were lost (the API did the writes): replayed with the same Idempotency-Key, each applied once',
      { hangWritesFrom: 3 },
      'all made',
    ],
  ] as const)(
    'loses no write and applies none twice: killed %s',
    async (_, faults, killAt) => {
      const plan = await pushPlanOf(3, 2, faults);
      const first = await runPushDevice(plan, (line) => line === killAt);
      expect(first.killed).toBe(true);
      const expected = expectedNames(plan, first.made);
      expect(expected.length).toBeGreaterThan(0);
      const result = await drainPush(plan);
      expect(await serverProjectNames(server.url, server.staff.headers, plan.ownerId)).toEqual(expected);
      expect(result).toEqual({ names: expected, refused: [], refusedInStore: 0, pendingWrites: 0 });
    },
    300_000,
  );
});
