import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DevicePlan } from './outbox-device';
import type { PushDevicePlan } from './push-device';

const ROOT = path.resolve(__dirname, '../../../..');

export interface DeviceResult {
  rows: { id: string; title: string }[];
  refused: { op: string; key: string | number; refusal: { status?: number; message: string } }[];
  refusedInStore: number;
  pendingWrites: number;
}

export interface DeviceRun<R = DeviceResult> {
  /** The titles the device made durable before it ended. */
  made: string[];
  killed: boolean;
  result?: R;
}

type KillAfter = (line: string, made: readonly string[]) => boolean;

/**
 * Runs one device process (outbox-device.ts: live Todos) to its end, or SIGKILLs it as soon as
 * `killAfter` says so of a line it printed: no shutdown code runs, as when a phone kills an app.
 */
export function runDevice(plan: DevicePlan, killAfter?: KillAfter, timeoutMs = 150_000): Promise<DeviceRun> {
  return runDeviceScript<DeviceResult>('outbox-device.ts', plan, killAfter, timeoutMs);
}

export interface PushDeviceResult {
  names: string[];
  refused: DeviceResult['refused'];
  refusedInStore: number;
  pendingWrites: number;
}

/** Runs one push-mode device process (push-device.ts: Projects through TanStack Query mutations). */
export function runPushDevice(
  plan: PushDevicePlan,
  killAfter?: KillAfter,
  timeoutMs = 150_000,
): Promise<DeviceRun<PushDeviceResult>> {
  return runDeviceScript<PushDeviceResult>('push-device.ts', plan, killAfter, timeoutMs);
}

function runDeviceScript<R>(
  script: string,
  plan: object,
  killAfter: KillAfter | undefined,
  timeoutMs: number,
): Promise<DeviceRun<R>> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, script), JSON.stringify(plan)],
    {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const run: DeviceRun<R> = { made: [], killed: false };
  let output = '';
  let pending = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the device did not finish within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (run.killed) return;
        if (line.startsWith('made ')) run.made.push(line.slice(5));
        if (line.startsWith('result ')) run.result = JSON.parse(line.slice(7)) as R;
        if (killAfter?.(line, run.made)) {
          run.killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (run.killed || code === 0) resolve(run);
      else reject(new Error(`the device exited with ${code}:\n${output}`));
    });
  });
}

/** Headers that sign a request in: `Authorization: Bearer <token>` (the test server's `staff.headers`). */
export type AuthHeaders = Record<string, string>;

/** POSTs JSON to the example API as the signed-in user; its answer's body (an error when it refuses). */
export async function postJson(url: string, body: object, auth: AuthHeaders): Promise<{ id: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** GETs JSON from the example API as the signed-in user (an error when it refuses). */
async function getJson<T>(url: string, auth: AuthHeaders): Promise<T> {
  const response = await fetch(url, { headers: auth });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A user to own a device's projects (made by staff: only staff create users); its id. */
export async function seedDeviceOwner(apiUrl: string, auth: AuthHeaders, name: string): Promise<string> {
  return (await postJson(`${apiUrl}/users`, { email: `${name.toLowerCase()}@example.com`, name, role: 'admin' }, auth))
    .id;
}

/** A project (and its owner) for the devices' todos; its id. */
export async function seedDeviceProject(apiUrl: string, auth: AuthHeaders, name: string): Promise<string> {
  const ownerId = await seedDeviceOwner(apiUrl, auth, name);
  return (await postJson(`${apiUrl}/projects`, { name, owner_id: ownerId, description: null, archived: false }, auth))
    .id;
}

/** The names of the owner's projects on the server, as the push device reports its own. */
export async function serverProjectNames(apiUrl: string, auth: AuthHeaders, ownerId: string): Promise<string[]> {
  const { data } = await getJson<{ data: { name: string }[] }>(
    `${apiUrl}/projects?owner_id=${ownerId}&limit=100`,
    auth,
  );
  return data.map((p) => p.name).sort();
}

/** The server's todos of the project with these ids, as the devices report theirs. */
export async function serverTodos(
  apiUrl: string,
  auth: AuthHeaders,
  projectId: string,
  ids: readonly string[],
): Promise<{ id: string; title: string }[]> {
  const all = await getJson<{ id: string; title: string }[]>(`${apiUrl}/todos?project_id=${projectId}`, auth);
  return all
    .filter((t) => ids.includes(t.id))
    .map((t) => ({ id: t.id, title: t.title }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
