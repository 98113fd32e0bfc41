import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { Client } from 'pg';

/** A signed-in user of a test server and the headers that carry their token. */
export interface TestSession {
  token: string;
  userId: string;
  headers: { authorization: string };
}

export interface TestServer {
  url: string;
  /** A staff account (role admin), signed in: sees and changes everything. */
  staff: TestSession;
  /** Where its data lives, to start another server on the same data (a restart). */
  data: { dataDir?: string; schema?: string };
  /**
   * Stops the process; unless `keepData`, drops its schema (server) — PGlite in memory just ends.
   * `crash` kills it with SIGKILL mid-whatever-it-does (no shutdown code runs).
   */
  close(options?: { keepData?: boolean; crash?: boolean }): Promise<void>;
}

export interface TestServerOptions {
  seed?: boolean;
  /** A fixed port (a restart keeps its URL); default any free one. */
  port?: number;
  /** Start on the data of an earlier server (`TestServer.data`). */
  data?: TestServer['data'];
  /** PGlite only: persist into this directory instead of memory. */
  dataDir?: string;
  /** Adds POST /v1/shape/reset (tests of 409 must-refetch). */
  shapeResetRoute?: boolean;
  /** The seeded users' password (they cannot sign in without one). */
  seedPassword?: string;
}

export const LISTENING = /example-api listening on (\S+)/;

/**
 * Starts the example API as its own process on a free port, the way users run it: embedded
 * PGlite, or — when DATABASE_URL is set — the PostgreSQL server in a schema of its own, dropped on
 * close. (A separate process also keeps PGlite's dynamic WebAssembly loading out of jest's VM.)
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const url = process.env['DATABASE_URL'] || undefined;
  const schema = url ? (options.data?.schema ?? `sp_test_${randomBytes(6).toString('hex')}`) : undefined;
  const dataDir = url ? undefined : (options.data?.dataDir ?? options.dataDir);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'main.ts')], {
    cwd: path.join(__dirname, '..'),
    env: {
      ...process.env,
      PORT: String(options.port ?? 0),
      SEED: options.seed ? '1' : '0',
      LOG_LEVEL: 'warn',
      DB_SCHEMA: schema ?? '',
      PGLITE_DIR: dataDir ?? '',
      SHAPE_RESET_ROUTE: options.shapeResetRoute ? '1' : '',
      SEED_PASSWORD: options.seedPassword ?? '',
      STAFF_EMAIL: STAFF.email,
      STAFF_PASSWORD: STAFF.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const serverUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`example-api did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = LISTENING.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`example-api exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: serverUrl,
    staff: await signIn(serverUrl, STAFF.email, STAFF.password),
    data: { dataDir, schema },
    async close({ keepData = false, crash = false } = {}) {
      child.kill(crash ? 'SIGKILL' : 'SIGTERM');
      await exited;
      if (!url || keepData) return;
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`).finally(() => admin.end());
    },
  };
}

/** The test servers' staff account; random, so a test database never holds a known password. */
const STAFF = { email: 'staff@example.test', password: randomBytes(18).toString('base64url') };

async function session(url: string, path: string, body: object): Promise<TestSession> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  const { token, user } = (await response.json()) as { token: string; user: { id: string } };
  return { token, userId: user.id, headers: { authorization: `Bearer ${token}` } };
}

export function signIn(url: string, email: string, password: string): Promise<TestSession> {
  return session(url, '/sessions', { email, password });
}

/** A new member account (sign-up), signed in. */
export function signUp(url: string, name = 'Member'): Promise<TestSession> {
  return session(url, '/accounts', {
    email: `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}-${randomBytes(4).toString('hex')}@example.com`,
    name,
    password: randomBytes(12).toString('base64url'),
  });
}

/** A port nothing listens on now, for a server that must come back on the same URL after a restart. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
