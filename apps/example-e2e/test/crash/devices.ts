import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { DevicePlan } from './outbox-device';

const ROOT = path.resolve(__dirname, '../../../..');

export interface DeviceResult {
  rows: { id: string; title: string }[];
  refused: { op: string; key: string | number; refusal: { status?: number; message: string } }[];
  refusedInStore: number;
  pendingWrites: number;
}

export interface DeviceRun {
  /** The titles the device made durable before it ended. */
  made: string[];
  killed: boolean;
  result?: DeviceResult;
}

/**
 * Runs one device process (outbox-device.ts) to its end, or SIGKILLs it as soon as `killAfter`
 * says so of a line it printed: no shutdown code runs, as when a phone kills an app.
 */
export function runDevice(plan: DevicePlan, killAfter?: (line: string, made: readonly string[]) => boolean, timeoutMs = 150_000): Promise<DeviceRun> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'outbox-device.ts'), JSON.stringify(plan)], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.base.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const run: DeviceRun = { made: [], killed: false };
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
        if (line.startsWith('result ')) run.result = JSON.parse(line.slice(7)) as DeviceResult;
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

/** POSTs JSON to the example API; its answer's body (an error when it refuses). */
export async function postJson(url: string, body: object): Promise<{ id: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** A project (and its owner) for the devices' todos; its id. */
export async function seedDeviceProject(apiUrl: string, name: string): Promise<string> {
  const owner = await postJson(`${apiUrl}/users`, { email: `${name.toLowerCase()}@example.com`, name, role: 'admin' });
  return (await postJson(`${apiUrl}/projects`, { name, owner_id: owner.id, description: null, archived: false })).id;
}

/** The server's todos of the project with these ids, as the devices report theirs. */
export async function serverTodos(apiUrl: string, projectId: string, ids: readonly string[]): Promise<{ id: string; title: string }[]> {
  const response = await fetch(`${apiUrl}/todos?project_id=${projectId}`);
  const all = (await response.json()) as { id: string; title: string }[];
  return all
    .filter((t) => ids.includes(t.id))
    .map((t) => ({ id: t.id, title: t.title }))
    .sort((a, b) => a.id.localeCompare(b.id));
}
