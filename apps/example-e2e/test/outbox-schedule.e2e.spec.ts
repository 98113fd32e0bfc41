import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startTestServer, type TestServer } from '../../example-api/src/testing';
import {
  runDevice,
  runPushDevice,
  seedDeviceOwner,
  seedDeviceProject,
  serverProjectNames,
  serverTodos,
} from './crash/devices';
import type { DevicePlan } from './crash/outbox-device';
import type { PushDevicePlan } from './crash/push-device';

/**
 * The outbox under schedules fast-check draws (fixed seed): a device's runs, each making new todos
 * and renaming earlier ones, with its shape stream lagging, its writes unable to reach the API or
 * their answers lost, killed (SIGKILL) at any write — and the API itself SIGKILLed and restarted
 * mid-run. After a last run drains the outbox: every write the device made durable is applied
 * once, in order; the device equals the server; nothing is refused, stranded or left over. The
 * same for a push-mode device (Projects created and renamed through TanStack Query mutations, ids
 * chosen by the server), without the stream.
 *
 * `npm test` runs a few schedules; `npm run soak` many (SYNC_PATTERNS_SOAK_RUNS, SYNC_PATTERNS_SOAK_SEED).
 */
const RUNS = Number(process.env['SYNC_PATTERNS_SOAK_RUNS'] ?? 3);
const SEED = Number(process.env['SYNC_PATTERNS_SOAK_SEED'] ?? 20261207);

let server: TestServer;
let port: number;
let dir: string;
let projectId: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sp-outbox-schedule-'));
  port = await freePort();
  server = await startTestServer({ port, dataDir: path.join(dir, 'pg') });
  projectId = await seedDeviceProject(server.url, server.staff.headers, 'Schedule');
}, 120_000);
afterAll(async () => {
  process.stdout.write(`[outbox-schedule] seed ${SEED}: ${JSON.stringify({ ...counts, push: pushCounts })}\n`);
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const session = fc.record({
  newTodos: fc.integer({ min: 0, max: 3 }),
  renames: fc.integer({ min: 0, max: 2 }),
  renameEarlier: fc.boolean(),
  shapeLagMs: fc.constantFrom(0, 300, 900),
  fault: fc.constantFrom('none', 'none', 'writes down', 'answers lost'),
  faultFrom: fc.integer({ min: 1, max: 6 }),
  killAt: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  crashApi: fc.boolean(),
});
type Session = typeof session extends fc.Arbitrary<infer S> ? S : never;

let schedules = 0;
/** What the schedules did, printed at the end (the soak's counts in docs/robustness.md). */
const counts = {
  schedules: 0,
  deviceRuns: 0,
  devicesKilled: 0,
  apiCrashes: 0,
  writesMade: 0,
  lagging: 0,
  writesDown: 0,
  answersLost: 0,
};

async function runSchedule(sessions: Session[]): Promise<void> {
  const schedule = ++schedules;
  const dbFile = path.join(dir, `device-${schedule}.db`);
  /** Every todo made durable so far, with its titles in the order they were made durable. */
  const todos = new Map<string, string[]>();
  let titleCount = 0;
  for (const s of sessions) {
    const earlier = s.renameEarlier ? [...todos.keys()] : [];
    const plan: DevicePlan = {
      apiUrl: server.url,
      headers: server.staff.headers,
      dbFile,
      projectId,
      shapeLagMs: s.shapeLagMs,
      todos: [
        ...earlier.map((id) => ({
          id,
          existing: true,
          titles: Array.from({ length: s.renames }, () => `schedule ${schedule} title ${++titleCount}`),
        })),
        ...Array.from({ length: s.newTodos }, () => ({
          id: crypto.randomUUID(),
          titles: Array.from({ length: s.renames + 1 }, () => `schedule ${schedule} title ${++titleCount}`),
        })),
      ],
      ...(s.fault === 'writes down'
        ? { writesDown: true }
        : s.fault === 'answers lost'
          ? { hangWritesFrom: s.faultFrom }
          : {}),
      ...(s.killAt === undefined ? {} : { pauseAfter: s.killAt }),
    };
    const total = plan.todos.reduce((n, t) => n + t.titles.length, 0);
    // a device whose writes cannot finish is killed once it made them all, if not before
    const stuck = s.fault !== 'none';
    let apiCrash: Promise<void> | undefined;
    const run = await runDevice(plan, (line, made) => {
      if (s.crashApi && !apiCrash && made.length >= Math.ceil(total / 2)) apiCrash = crashAndRestartApi();
      // killed once it stopped making writes (its outbox still draining), or stuck with all made
      return line === 'paused' || (line === 'all made' && stuck);
    });
    await apiCrash;
    counts.deviceRuns++;
    counts.devicesKilled += run.killed ? 1 : 0;
    counts.apiCrashes += apiCrash ? 1 : 0;
    counts.writesMade += run.made.length;
    counts.lagging += s.shapeLagMs ? 1 : 0;
    counts.writesDown += s.fault === 'writes down' ? 1 : 0;
    counts.answersLost += s.fault === 'answers lost' ? 1 : 0;
    for (const todo of plan.todos) {
      const durable = todo.titles.filter((title) => run.made.includes(title));
      if (todo.existing) todos.get(todo.id)!.push(...durable);
      else if (durable.length) todos.set(todo.id, durable);
    }
  }
  const drained = await runDevice({ apiUrl: server.url, headers: server.staff.headers, dbFile, projectId, todos: [] });
  counts.schedules++;
  const expected = [...todos]
    .map(([id, titles]) => ({ id, title: titles[titles.length - 1] }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const ids = [...todos.keys()];
  const onServer = await serverTodos(server.url, server.staff.headers, projectId, ids);
  expect(onServer).toEqual(expected);
  expect(drained.result!.rows.filter((row) => ids.includes(row.id))).toEqual(expected);
  expect(drained.result).toMatchObject({ refused: [], refusedInStore: 0, pendingWrites: 0 });
}

const pushSession = fc.record({
  newProjects: fc.integer({ min: 0, max: 3 }),
  renames: fc.integer({ min: 0, max: 2 }),
  fault: fc.constantFrom('none', 'none', 'writes down', 'answers lost'),
  faultFrom: fc.integer({ min: 1, max: 6 }),
  killAt: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  crashApi: fc.boolean(),
});
type PushSession = typeof pushSession extends fc.Arbitrary<infer S> ? S : never;
const pushCounts = {
  schedules: 0,
  deviceRuns: 0,
  devicesKilled: 0,
  apiCrashes: 0,
  writesMade: 0,
  writesDown: 0,
  answersLost: 0,
};

async function runPushSchedule(sessions: PushSession[]): Promise<void> {
  const schedule = ++schedules;
  const dbFile = path.join(dir, `push-device-${schedule}.db`);
  const ownerId = await seedDeviceOwner(server.url, server.staff.headers, `Schedule${schedule}`);
  /** The last name made durable of each project whose create was. */
  const projects = new Map<string, string>();
  let nameCount = 0;
  for (const s of sessions) {
    const plan: PushDevicePlan = {
      apiUrl: server.url,
      headers: server.staff.headers,
      dbFile,
      ownerId,
      projects: Array.from({ length: s.newProjects }, () => ({
        names: Array.from({ length: s.renames + 1 }, () => `schedule ${schedule} name ${++nameCount}`),
      })),
      ...(s.fault === 'writes down'
        ? { writesDown: true }
        : s.fault === 'answers lost'
          ? { hangWritesFrom: s.faultFrom }
          : {}),
      ...(s.killAt === undefined ? {} : { pauseAfter: s.killAt }),
    };
    const total = plan.projects.reduce((n, p) => n + p.names.length, 0);
    const stuck = s.fault !== 'none';
    let apiCrash: Promise<void> | undefined;
    const run = await runPushDevice(plan, (line, made) => {
      if (s.crashApi && !apiCrash && made.length >= Math.ceil(total / 2)) apiCrash = crashAndRestartApi();
      return line === 'paused' || (line === 'all made' && stuck);
    });
    await apiCrash;
    pushCounts.deviceRuns++;
    pushCounts.devicesKilled += run.killed ? 1 : 0;
    pushCounts.apiCrashes += apiCrash ? 1 : 0;
    pushCounts.writesMade += run.made.length;
    pushCounts.writesDown += s.fault === 'writes down' ? 1 : 0;
    pushCounts.answersLost += s.fault === 'answers lost' ? 1 : 0;
    for (const project of plan.projects) {
      const durable = project.names.filter((name) => run.made.includes(name));
      if (durable.length) projects.set(project.names[0], durable[durable.length - 1]);
    }
  }
  const drained = await runPushDevice({
    apiUrl: server.url,
    headers: server.staff.headers,
    dbFile,
    ownerId,
    projects: [],
  });
  pushCounts.schedules++;
  const expected = [...projects.values()].sort();
  expect(await serverProjectNames(server.url, server.staff.headers, ownerId)).toEqual(expected);
  expect(drained.result).toEqual({ names: expected, refused: [], refusedInStore: 0, pendingWrites: 0 });
}

/** SIGKILLs the API mid-run and starts it again on the same data and port. */
async function crashAndRestartApi(): Promise<void> {
  const data = server.data;
  await server.close({ crash: true, keepData: true });
  await new Promise((resolve) => setTimeout(resolve, 300));
  server = await startTestServer({ port, data });
}

describe('the outbox under drawn schedules of writes, kills, lag and lost answers', () => {
  it(
    `holds its invariants (${RUNS} schedules, seed ${SEED})`,
    async () => {
      await fc.assert(fc.asyncProperty(fc.array(session, { minLength: 1, maxLength: 3 }), runSchedule), {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
        ...(process.env['SYNC_PATTERNS_SOAK_PATH'] ? { path: process.env['SYNC_PATTERNS_SOAK_PATH'] } : {}),
      });
    },
    240_000 + RUNS * 90_000,
  );

  it(
    `holds them for push-mode writes too (${RUNS} schedules, seed ${SEED})`,
    async () => {
      await fc.assert(fc.asyncProperty(fc.array(pushSession, { minLength: 1, maxLength: 3 }), runPushSchedule), {
        seed: SEED,
        numRuns: RUNS,
        endOnFailure: true,
        ...(process.env['SYNC_PATTERNS_SOAK_PATH'] ? { path: process.env['SYNC_PATTERNS_SOAK_PATH'] } : {}),
      });
    },
    240_000 + RUNS * 90_000,
  );
});
