import { spawn } from 'node:child_process';
import * as path from 'node:path';

const WORKSPACE = path.resolve(__dirname, '../../..');

export interface WebApp {
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the example web app's Vite dev server in a process of its own (Vite is ESM-only), its
 * /api proxy pointed at `apiUrl`. Resolves once Vite prints its URL.
 */
export function startWebApp(options: { apiUrl: string; port: number }): Promise<WebApp> {
  const child = spawn(
    process.execPath,
    [
      path.join(WORKSPACE, 'node_modules/vite/bin/vite.js'),
      '--config',
      path.join(__dirname, '..', 'vite.config.mts'),
      '--port',
      String(options.port),
      '--strictPort',
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, EXAMPLE_API_URL: options.apiUrl, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the web app did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Local:\s+http/.test(output.replace(/\x1b\[[0-9;]*m/g, ''))) {
        clearTimeout(timer);
        resolve({
          url: `http://127.0.0.1:${options.port}`,
          close: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the web app exited with ${code}:\n${output}`));
    });
  });
}
