import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export const LISTENING = /example-api listening on (\S+)/;

/**
 * Starts the example API as its own process on a free port, the way users run it: embedded
 * PGlite, or — when DATABASE_URL is set — the PostgreSQL server in a schema of its own, dropped on
 * close. (A separate process also keeps PGlite's dynamic WebAssembly loading out of jest's VM.)
 */
export async function startTestServer(options: { seed?: boolean } = {}): Promise<TestServer> {
  const url = process.env['DATABASE_URL'] || undefined;
  const schema = url ? `sp_test_${randomBytes(6).toString('hex')}` : undefined;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'main.ts')], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, PORT: '0', SEED: options.seed ? '1' : '0', LOG_LEVEL: 'warn', DB_SCHEMA: schema ?? '' },
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
    async close() {
      child.kill('SIGTERM');
      await exited;
      if (!url) return;
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`).finally(() => admin.end());
    },
  };
}
